using System.Reflection;
using OAuth2Client.Tests.PublicApi;

namespace OAuth2Client.Tests;

/// <summary>Keeps the public surface small and deliberate, by reflection over every shipped assembly.</summary>
public sealed class ConventionTests
{
    /// <summary>Public types designed for inheritance, each for a stated reason.</summary>
    private static readonly HashSet<Type> DesignedForInheritance =
    [
        typeof(OAuth2TokenException), // the sign-in-required exception derives from it
    ];

    public static TheoryData<string> ShippedAssemblies => new() { "OAuth2Client", "OAuth2Client.Extensions.DependencyInjection", "OAuth2Client.Caching.StackExchangeRedis", "OAuth2Client.Testing" };

    [Theory]
    [MemberData(nameof(ShippedAssemblies))]
    public void PublicClasses_AreSealedOrStatic(string assembly)
    {
        Assert.DoesNotContain(
            PublicApiSnapshot.PublicTypes(assembly),
            t => t.IsClass && !t.IsSealed && !t.IsAbstract && !DesignedForInheritance.Contains(t));
    }

    /// <summary>
    /// Simple names of public types in namespaces a .NET app most likely already imports beside ours
    /// (Azure.Core, Blazor WebAssembly authentication, ASP.NET Core authentication, MSAL, IdentityModel).
    /// A public type of ours with one of these names gives CS0104 in such an app.
    /// </summary>
    private static readonly HashSet<string> NamesTakenByCommonImports = new(StringComparer.Ordinal)
    {
        "AccessToken", "TokenCredential", "TokenRequestContext", // Azure.Core
        "IAccessTokenProvider", "AccessTokenResult", "AccessTokenRequestOptions", "AccessTokenNotAvailableException", "RemoteAuthenticationOptions", // Microsoft.AspNetCore.Components.WebAssembly.Authentication
        "AuthenticationProperties", "AuthenticationTicket", "OAuthOptions", "OAuthTokenResponse", // Microsoft.AspNetCore.Authentication(.OAuth)
        "AuthenticationResult", "IAccount", "TokenCache", "ITokenCache", // Microsoft.Identity.Client
        "TokenResponse", "TokenRequest", "ClientCredentialsTokenRequest", "ProtocolResponse", // IdentityModel.Client
        "TokenProvider", "HttpClientFactory",
    };

    [Theory]
    [MemberData(nameof(ShippedAssemblies))]
    public void PublicTypeNames_DoNotCollideWithCommonImports(string assembly)
        => Assert.DoesNotContain(PublicApiSnapshot.PublicTypes(assembly), t => NamesTakenByCommonImports.Contains(t.Name));

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
                if ((returns != typeof(Task) && returns != typeof(Task<>) && returns != typeof(ValueTask) && returns != typeof(ValueTask<>))
                    || method.IsSpecialName // a property of type Task (a gate), not an asynchronous operation
                    || (method.Name == nameof(IAsyncDisposable.DisposeAsync) && typeof(IAsyncDisposable).IsAssignableFrom(type)))
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
