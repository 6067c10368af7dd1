namespace OAuth2Client.Tests.AuthorizationCode;

public sealed class InMemoryRefreshTokenStoreTests
{
    [Fact]
    public async Task SetAsync_ThenGetAsync_ReturnsTokenOfThatKeyOnly()
    {
        var store = new InMemoryRefreshTokenStore();

        await store.SetAsync("a", "rt-a");
        await store.SetAsync("b", "rt-b");

        Assert.Equal("rt-a", await store.GetAsync("a"));
        Assert.Equal("rt-b", await store.GetAsync("b"));
        Assert.Null(await store.GetAsync("c"));
    }

    [Fact]
    public async Task SetAsync_Null_ForgetsToken()
    {
        var store = new InMemoryRefreshTokenStore();
        await store.SetAsync("a", "rt-a");

        await store.SetAsync("a", null);

        Assert.Null(await store.GetAsync("a"));
    }

    [Fact]
    public async Task ToString_NeverShowsTokens()
    {
        var store = new InMemoryRefreshTokenStore();
        await store.SetAsync("a", "rt-secret-value");

        Assert.Equal("InMemoryRefreshTokenStore { Count = 1 }", store.ToString());
    }

    [Fact]
    public async Task Methods_NullKeyOrCanceled_Throw()
    {
        var store = new InMemoryRefreshTokenStore();
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();

        await Assert.ThrowsAsync<ArgumentNullException>(() => store.GetAsync(null!).AsTask());
        await Assert.ThrowsAsync<ArgumentNullException>(() => store.SetAsync(null!, "x").AsTask());
        await Assert.ThrowsAsync<OperationCanceledException>(() => store.GetAsync("a", canceled.Token).AsTask());
        await Assert.ThrowsAsync<OperationCanceledException>(() => store.SetAsync("a", "x", canceled.Token).AsTask());
    }
}
