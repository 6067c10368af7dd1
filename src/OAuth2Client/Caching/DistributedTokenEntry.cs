using System.Security.Cryptography;
using System.Text;

namespace OAuth2Client.Caching;

/// <summary>A token as another instance published it: the token and when it was issued (UTC ticks of that instance's clock).</summary>
internal sealed record SharedToken(OAuth2Token Token, long IssuedAtTicks)
{
    public override string ToString() => $"SharedToken {{ {Token} }}";
}

/// <summary>
/// The bytes of a token in the distributed cache: a format byte, then the protector's output over (value, type, scope,
/// expiry, issue time), bound to the cache key. Nothing in clear: not the token, not its scope.
/// </summary>
internal static class DistributedTokenEntry
{
    private const byte Format = 1;

    public static byte[] Write(SharedToken shared, IOAuth2TokenProtector protector, byte[] associatedData)
    {
        byte[] plaintext;
        using (var buffer = new MemoryStream())
        {
            using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(shared.Token.Value);
                writer.Write(shared.Token.TokenType);
                writer.Write(shared.Token.Scope is not null);
                writer.Write(shared.Token.Scope ?? string.Empty);
                writer.Write(shared.Token.ExpiresAt.UtcTicks);
                writer.Write(shared.IssuedAtTicks);
            }

            plaintext = buffer.ToArray();
            CryptographicOperations.ZeroMemory(buffer.GetBuffer());
        }

        try
        {
            byte[] sealedBytes = protector.Protect(plaintext, associatedData);
            byte[] stored = new byte[sealedBytes.Length + 1];
            stored[0] = Format;
            sealedBytes.CopyTo(stored, 1);
            return stored;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <exception cref="CryptographicException">Unknown format, changed bytes, another key, or another cache key.</exception>
    public static SharedToken Read(byte[] stored, IOAuth2TokenProtector protector, byte[] associatedData)
    {
        if (stored.Length < 2 || stored[0] != Format)
        {
            throw new CryptographicException("Unknown token entry format.");
        }

        byte[] plaintext = protector.Unprotect(stored.AsSpan(1).ToArray(), associatedData);
        try
        {
            using var reader = new BinaryReader(new MemoryStream(plaintext), Encoding.UTF8);
            string value = reader.ReadString();
            string tokenType = reader.ReadString();
            bool hasScope = reader.ReadBoolean();
            string scope = reader.ReadString();
            long expiresAt = reader.ReadInt64();
            long issuedAt = reader.ReadInt64();
            return new SharedToken(new OAuth2Token(value, new DateTimeOffset(expiresAt, TimeSpan.Zero), hasScope ? scope : null, tokenType), issuedAt);
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or ArgumentException)
        {
            throw new CryptographicException("The token entry is malformed.", ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
