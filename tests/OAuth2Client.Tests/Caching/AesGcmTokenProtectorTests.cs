using System.Security.Cryptography;
using System.Text;
using OAuth2Client.Caching;
using OAuth2Client.Tests.TestSupport;

namespace OAuth2Client.Tests.Caching;

public sealed class AesGcmTokenProtectorTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("oauth2client:fleet:v1:token:ABC");
    private readonly AesGcmTokenProtector _protector = new(FleetInstance.EncryptionKey);

    [Fact]
    public void Protect_ThenUnprotectWithTheSameKey_RoundTrips()
    {
        byte[] plaintext = Encoding.UTF8.GetBytes("token-value-123");

        byte[] sealedBytes = _protector.Protect(plaintext, Key);

        Assert.Equal(plaintext, _protector.Unprotect(sealedBytes, Key));
        Assert.Equal(-1, sealedBytes.AsSpan().IndexOf(plaintext));
    }

    [Fact]
    public void Protect_Twice_UsesAFreshNonceEachTime()
        => Assert.NotEqual(_protector.Protect([1, 2, 3], Key), _protector.Protect([1, 2, 3], Key));

    [Fact]
    public void Unprotect_UnderAnotherCacheKey_Throws()
    {
        byte[] sealedBytes = _protector.Protect([1, 2, 3], Key);

        Assert.ThrowsAny<CryptographicException>(() => _protector.Unprotect(sealedBytes, Encoding.UTF8.GetBytes("oauth2client:fleet:v1:token:XYZ")));
    }

    [Fact]
    public void Unprotect_ChangedByte_Throws()
    {
        byte[] sealedBytes = _protector.Protect([1, 2, 3], Key);
        sealedBytes[^1] ^= 1;

        Assert.ThrowsAny<CryptographicException>(() => _protector.Unprotect(sealedBytes, Key));
    }

    [Fact]
    public void Unprotect_WithAnotherEncryptionKey_Throws()
    {
        byte[] sealedBytes = _protector.Protect([1, 2, 3], Key);
        var other = new AesGcmTokenProtector(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

        Assert.ThrowsAny<CryptographicException>(() => other.Unprotect(sealedBytes, Key));
    }

    [Fact]
    public void DistributedTokenEntry_RoundTripsEveryField_AndHoldsNoValueInClear()
    {
        var token = new OAuth2Token("eyJhbGciOi.secret-token", DateTimeOffset.UtcNow.AddMinutes(5), "orders.read", "bearer");
        var shared = new SharedToken(token, DateTimeOffset.UtcNow.UtcTicks);

        byte[] stored = DistributedTokenEntry.Write(shared, _protector, Key);
        SharedToken back = DistributedTokenEntry.Read(stored, _protector, Key);

        string raw = Encoding.Latin1.GetString(stored);
        Assert.DoesNotContain("secret-token", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("orders.read", raw, StringComparison.Ordinal);
        Assert.Equal(token.Value, back.Token.Value);
        Assert.Equal(token.TokenType, back.Token.TokenType);
        Assert.Equal(token.Scope, back.Token.Scope);
        Assert.Equal(token.ExpiresAt, back.Token.ExpiresAt);
        Assert.Equal(shared.IssuedAtTicks, back.IssuedAtTicks);
        Assert.DoesNotContain("secret-token", back.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void DistributedTokenEntry_UnknownFormat_Throws()
    {
        byte[] stored = DistributedTokenEntry.Write(new SharedToken(new OAuth2Token("t", DateTimeOffset.UtcNow), 0), _protector, Key);
        stored[0] = 99;

        Assert.ThrowsAny<CryptographicException>(() => DistributedTokenEntry.Read(stored, _protector, Key));
    }
}
