using System.Reflection;
using OAuth2Client.Testing;
using OAuth2Client.Tests.TestSupport;

namespace OAuth2Client.Tests.Samples;

/// <summary>Runs the README's quick starts (the samples that hold them verbatim) against loopback emulators.</summary>
[Collection(nameof(ConsoleOutputTests))]
public sealed class ReadmeQuickStartTests
{
    [Fact]
    public async Task DependencyInjectionQuickStart_AgainstOrdsEmulator_ListsEmployees()
    {
        await using EmulatedOAuthServer ords = await EmulatedOAuthServer.StartAsync(Vendors.Ords, Harness.ClientId, Harness.ClientSecret);
        string[] args =
        [
            $"--OAuth2:Ords:Profile=Ords",
            $"--OAuth2:Ords:ServerAddress={ords.BaseAddress}",
            "--OAuth2:Ords:Schema=hr",
            $"--OAuth2:Ords:ClientId={Harness.ClientId}",
            $"--OAuth2:Ords:ClientSecret={Harness.ClientSecret}",
            $"--Employees:BaseAddress={ords.ApiAddress}",
        ];

        string output = await RunEntryPointAsync("OAuth2Client.Samples.QuickStart", args);

        Assert.Contains("\"ename\":\"SMITH\"", output, StringComparison.Ordinal);
        Assert.Equal(1, ords.TokenRequestCount);
        Assert.DoesNotContain(Harness.ClientSecret, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainHttpClientQuickStart_WithoutArguments_UsesEmulatorAndOneToken()
    {
        string output = await RunEntryPointAsync("OAuth2Client.Samples.PlainHttpClient", []);

        Assert.Contains("GET orders #3: 200", output, StringComparison.Ordinal);
        Assert.Contains("The emulator issued 1 token(s) for 3 API calls.", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("samples/QuickStart/Program.cs")]
    [InlineData("samples/QuickStart/appsettings.json")]
    public void Readme_ShowsQuickStartFilesVerbatim(string sampleFile)
    {
        string root = Path.GetFullPath(Path.Combine(PublicApi.PublicApiSnapshot.SourceDirectory(), "..", "..", ".."));
        string readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        string file = File.ReadAllText(Path.Combine(root, sampleFile)).ReplaceLineEndings("\n");

        Assert.Contains("\n" + file + "```", readme, StringComparison.Ordinal);
    }

    private static async Task<string> RunEntryPointAsync(string assemblyName, string[] args)
    {
        MethodInfo entryPoint = Assembly.Load(assemblyName).EntryPoint!;
        TextWriter original = Console.Out;
        using var captured = new StringWriter();
        Console.SetOut(captured);
        try
        {
            await Task.Run(() => entryPoint.Invoke(null, [args]));
        }
        finally
        {
            Console.SetOut(original);
        }

        return captured.ToString();
    }
}
