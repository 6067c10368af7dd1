using System.Security.Cryptography;

namespace OAuth2Client.Testing;

/// <summary>Lower-case hex, in one place (Convert.ToHexStringLower exists only from .NET 9).</summary>
internal static class Hex
{
    /// <summary>Lower-case hex of the bytes.</summary>
    public static string Lower(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    /// <summary>Lower-case hex of <paramref name="count"/> random bytes.</summary>
    public static string Random(int count) => Lower(RandomNumberGenerator.GetBytes(count));
}
