using System.Reflection;
using System.Runtime.Versioning;
using OAuth2Client.Caching;

namespace OAuth2Client.Tests;

/// <summary>This project exists to run the suite against the netstandard2.0 build: prove that it does.</summary>
public sealed class NetStandardBuildTests
{
    [Theory]
    [InlineData(typeof(OAuth2Token))]
    [InlineData(typeof(Microsoft.Extensions.DependencyInjection.OAuth2ClientServiceCollectionExtensions))]
    [InlineData(typeof(RedisDistributedTokenLock))]
    public void LoadedLibrary_IsTheNetStandard20Build(Type typeFromLibrary)
    {
        TargetFrameworkAttribute? target = typeFromLibrary.Assembly.GetCustomAttribute<TargetFrameworkAttribute>();

        Assert.Equal(".NETStandard,Version=v2.0", target?.FrameworkName);
    }

    [Fact]
    public void TestAssembly_RunsOnModernDotNet()
        => Assert.Equal(".NETCoreApp,Version=v10.0", typeof(NetStandardBuildTests).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName);

    [Fact]
    public void Validate_SigningKeyPem_RefusedNamingTheAlternatives()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var options = new OAuth2ClientOptions { TokenEndpoint = new Uri("https://idp.example.com/token"), ClientId = "app", ClientAuthentication = ClientAuthenticationStyle.PrivateKeyJwt, SigningKeyPem = rsa.ExportPkcs8PrivateKeyPem() };

        string error = Assert.Single(OAuth2ClientOptionsValidator.ClientCredentials.Validate(options));

        Assert.Contains("PlatformNotSupportedException", error, StringComparison.Ordinal);
        Assert.Contains("SigningCertificate", error, StringComparison.Ordinal);
        Assert.Contains("IClientAssertionProvider", error, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY-----\n", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EncryptionKey_RefusedNamingProtector()
    {
        var options = new DistributedTokenCacheOptions { Cache = new Microsoft.Extensions.Caching.Distributed.MemoryDistributedCache(Microsoft.Extensions.Options.Options.Create(new Microsoft.Extensions.Caching.Memory.MemoryDistributedCacheOptions())), EncryptionKey = TestSupport.FleetInstance.EncryptionKey };

        string error = Assert.Single(options.Validate());

        Assert.Contains("AES-GCM is not available", error, StringComparison.Ordinal);
        Assert.Contains("IOAuth2TokenProtector", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AesGcmTokenProtector_Constructed_ThrowsPlatformNotSupported()
        => Assert.Throws<PlatformNotSupportedException>(() => new AesGcmTokenProtector(TestSupport.FleetInstance.EncryptionKey));
}
