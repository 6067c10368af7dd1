using System.Reflection;
using System.Text;

namespace OAuth2Client.Tests.PublicApi;

/// <summary>Describes an assembly's public surface as sorted text, so a change to it is a visible diff.</summary>
public static class PublicApiSnapshot
{
    public static IEnumerable<Type> PublicTypes(string assembly)
        => Assembly.Load(assembly).GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal);

    /// <summary>This folder in the source tree, found from the test's output folder (CI maps compile-time paths away).</summary>
    public static string SourceDirectory()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OAuth2Client.sln")))
            {
                return Path.Combine(dir.FullName, "tests", "OAuth2Client.Tests", "PublicApi");
            }
        }

        throw new DirectoryNotFoundException("OAuth2Client.sln not found above " + AppContext.BaseDirectory);
    }

    public static string Describe(string assembly)
    {
        var text = new StringBuilder();
        foreach (Type type in PublicTypes(assembly))
        {
            text.Append(Kind(type)).Append(' ').Append(Name(type));
            var bases = new List<string>();
            if (type.BaseType is { } baseType && baseType != typeof(object) && baseType != typeof(ValueType) && baseType != typeof(Enum))
            {
                bases.Add(Name(baseType));
            }

            bases.AddRange(type.GetInterfaces().Where(i => i.IsPublic || i.IsNestedPublic).Select(Name).Where(n => !n.StartsWith("System.IEquatable", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
            if (bases.Count > 0)
            {
                text.Append(" : ").AppendJoin(", ", bases);
            }

            text.Append('\n');
            foreach (string member in Members(type).Order(StringComparer.Ordinal))
            {
                text.Append("  ").Append(member).Append('\n');
            }
        }

        return text.ToString();
    }

    private static IEnumerable<string> Members(Type type)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        if (type.IsEnum)
        {
            foreach (string name in Enum.GetNames(type))
            {
                yield return $"{name} = {Convert.ToInt64(Enum.Parse(type, name), System.Globalization.CultureInfo.InvariantCulture)}";
            }

            yield break;
        }

        foreach (ConstructorInfo ctor in type.GetConstructors(flags))
        {
            yield return $"ctor({Parameters(ctor)})";
        }

        foreach (PropertyInfo property in type.GetProperties(flags))
        {
            string accessors = (property.GetMethod?.IsPublic == true ? "get; " : string.Empty)
                + (property.SetMethod?.IsPublic == true ? (property.SetMethod.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.Name == "IsExternalInit") ? "init; " : "set; ") : string.Empty);
            yield return $"{(property.GetMethod?.IsStatic == true ? "static " : string.Empty)}{Name(property.PropertyType)} {property.Name} {{ {accessors}}}";
        }

        foreach (FieldInfo field in type.GetFields(flags))
        {
            yield return $"{(field.IsLiteral ? "const " : field.IsStatic ? "static " : string.Empty)}{Name(field.FieldType)} {field.Name}";
        }

        foreach (MethodInfo method in type.GetMethods(flags).Where(m => !m.IsSpecialName && m.Name != "<Clone>$"))
        {
            yield return $"{(method.IsStatic ? "static " : string.Empty)}{Name(method.ReturnType)} {method.Name}({Parameters(method)})";
        }
    }

    private static string Parameters(MethodBase method)
        => string.Join(", ", method.GetParameters().Select(p => $"{Name(p.ParameterType)} {p.Name}{(p.HasDefaultValue ? " = " + (p.DefaultValue ?? "null") : string.Empty)}"));

    private static string Kind(Type type)
        => type.IsInterface ? "interface"
            : type.IsEnum ? "enum"
            : type.IsValueType ? "struct"
            : type.IsAbstract && type.IsSealed ? "static class"
            : type.GetMethod("<Clone>$") is not null ? (type.IsSealed ? "sealed record" : "record")
            : type.IsSealed ? "sealed class"
            : "class";

    private static string Name(Type type)
    {
        if (type.IsByRef)
        {
            return Name(type.GetElementType()!) + "&";
        }

        if (!type.IsGenericType)
        {
            return type.FullName ?? type.Name;
        }

        string name = type.GetGenericTypeDefinition().FullName!;
        return name[..name.IndexOf('`', StringComparison.Ordinal)] + "<" + string.Join(", ", type.GetGenericArguments().Select(Name)) + ">";
    }
}
