using System.Reflection;
using OAuth2Client.Tests.PublicApi;

namespace OAuth2Client.Tests;

/// <summary>Keeps the public surface small and deliberate, by reflection over both shipped assemblies.</summary>
public sealed class ConventionTests
{
    /// <summary>Public types designed for inheritance, each for a stated reason.</summary>
    private static readonly HashSet<Type> DesignedForInheritance =
    [
        typeof(OAuth2TokenException), // the sign-in-required exception derives from it
    ];

    public static TheoryData<string> ShippedAssemblies => new() { "OAuth2Client", "OAuth2Client.Extensions.DependencyInjection" };

    [Theory]
    [MemberData(nameof(ShippedAssemblies))]
    public void PublicClasses_AreSealedOrStatic(string assembly)
    {
        Assert.DoesNotContain(
            PublicApiSnapshot.PublicTypes(assembly),
            t => t.IsClass && !t.IsSealed && !t.IsAbstract && !DesignedForInheritance.Contains(t));
    }

    [Theory]
    [MemberData(nameof(ShippedAssemblies))]
    public void InternalNamespaces_HaveNoPublicTypes(string assembly)
        => Assert.DoesNotContain(PublicApiSnapshot.PublicTypes(assembly), t => t.Namespace?.Contains(".Internal", StringComparison.Ordinal) == true);

    [Theory]
    [MemberData(nameof(ShippedAssemblies))]
    public void AsyncMethods_EndInAsyncAndTakeCancellationTokenLast(string assembly)
    {
        var offenders = new List<string>();
        foreach (Type type in PublicApiSnapshot.PublicTypes(assembly))
        {
            foreach (MethodInfo method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                Type returns = method.ReturnType.IsGenericType ? method.ReturnType.GetGenericTypeDefinition() : method.ReturnType;
                if (returns != typeof(Task) && returns != typeof(Task<>) && returns != typeof(ValueTask) && returns != typeof(ValueTask<>))
                {
                    continue;
                }

                ParameterInfo[] parameters = method.GetParameters();
                if (!method.Name.EndsWith("Async", StringComparison.Ordinal)
                    || parameters.Length == 0
                    || parameters[^1].ParameterType != typeof(CancellationToken))
                {
                    offenders.Add($"{type.Name}.{method.Name}");
                }
            }
        }

        Assert.Empty(offenders);
    }

    [Theory]
    [MemberData(nameof(ShippedAssemblies))]
    public void PublicApi_MatchesSnapshot(string assembly)
    {
        string actual = PublicApiSnapshot.Describe(assembly);
        string file = Path.Combine(PublicApiSnapshot.SourceDirectory(), assembly + ".txt");
        string expected = File.Exists(file) ? File.ReadAllText(file).ReplaceLineEndings("\n") : string.Empty;

        if (actual != expected)
        {
            File.WriteAllText(Path.ChangeExtension(file, ".received.txt"), actual);
        }

        Assert.True(actual == expected, $"The public API of {assembly} changed. If intended, copy {Path.GetFileName(file)[..^4]}.received.txt over {Path.GetFileName(file)} in tests/OAuth2Client.Tests/PublicApi.");
    }
}
