using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OAuth2Client.Tests.TestSupport;

namespace OAuth2Client.Tests.Caching;

public sealed class DistributedTokenCacheOptionsTests
{
    private static readonly IDistributedCache Cache = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));

#if !NETSTANDARD_BUILD_UNDER_TEST // AES-GCM (EncryptionKey): the netstandard2.0 build refuses it (PlatformNotSupportedException, NetStandardBuildTests).
    [Fact]
    public void Validate_CacheAndKeySet_NoProblems()
        => Assert.Empty(new DistributedTokenCacheOptions { Cache = Cache, EncryptionKey = FleetInstance.EncryptionKey }.Validate());

    [Fact]
    public void Validate_Empty_NamesTheCacheAndTheKey()
    {
        IReadOnlyList<string> problems = new DistributedTokenCacheOptions().Validate();

        Assert.Contains(problems, p => p.StartsWith("Cache is required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("EncryptionKey or Protector is required", StringComparison.Ordinal));
    }
#endif

#if !NETSTANDARD_BUILD_UNDER_TEST // AES-GCM (EncryptionKey): the netstandard2.0 build refuses it (PlatformNotSupportedException, NetStandardBuildTests).
    [Theory]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQ=")] // 5 bytes
    public void Validate_KeyNot256BitBase64_SaysWhatAKeyIs(string key)
    {
        IReadOnlyList<string> problems = new DistributedTokenCacheOptions { Cache = Cache, EncryptionKey = key }.Validate();

        string problem = Assert.Single(problems);
        Assert.Contains("EncryptionKey must be 32 bytes (256 bits) in base64", problem, StringComparison.Ordinal);
    }
#endif

#if !NETSTANDARD_BUILD_UNDER_TEST // AES-GCM (EncryptionKey): the netstandard2.0 build refuses it (PlatformNotSupportedException, NetStandardBuildTests).
    [Fact]
    public void Validate_TimingsOutOfRange_NamesEachOption()
    {
        IReadOnlyList<string> problems = new DistributedTokenCacheOptions
        {
            Cache = Cache,
            EncryptionKey = FleetInstance.EncryptionKey,
            OperationTimeout = TimeSpan.Zero,
            OutageBackoff = TimeSpan.FromDays(1),
            LeaseDuration = TimeSpan.FromMilliseconds(-1),
        }.Validate();

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("OperationTimeout must be between", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("OutageBackoff must be between", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("LeaseDuration must be between", StringComparison.Ordinal));
    }
#endif

    [Fact]
    public void ToString_NeverShowsTheKey()
    {
        var options = new DistributedTokenCacheOptions { Cache = Cache, EncryptionKey = FleetInstance.EncryptionKey };

        Assert.DoesNotContain(FleetInstance.EncryptionKey, options.ToString(), StringComparison.Ordinal);
        Assert.Contains("EncryptionKey = set", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ClientCredentialsTokenProvider_InvalidDistributedCacheOptions_ThrowsNamingTheOption()
    {
        var exception = Assert.Throws<ArgumentException>(() => new ClientCredentialsTokenProvider(
            new OAuth2ClientOptions { TokenEndpoint = new Uri("https://login.example.com/token"), ClientId = "app", ClientSecret = "s" },
            distributedCache: new DistributedTokenCacheOptions { Cache = Cache }));

        Assert.Equal("distributedCache", exception.ParamName);
        Assert.Contains("EncryptionKey or Protector is required", exception.Message, StringComparison.Ordinal);
    }
}
