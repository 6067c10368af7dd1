using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace OAuth2Client;

/// <summary>
/// Encrypts tokens in the distributed cache with ASP.NET Core Data Protection, for apps that already manage their keys
/// there. Every instance of the fleet must share the key ring (persisted to Redis, a database or a file share, with the
/// same application name); otherwise instances cannot read each other's tokens and each fetches its own. Under DI this is
/// used automatically when Data Protection is registered and neither an encryption key nor a protector is set.
/// </summary>
/// <remarks>Data Protection has no associated data, so the cache key is stored inside the protected payload and checked on the way out.</remarks>
public sealed class DataProtectionTokenProtector : IOAuth2TokenProtector
{
    /// <summary>The Data Protection purpose of the protector this class creates.</summary>
    public const string Purpose = "OAuth2Client.DistributedTokenCache.v1";

    private readonly IDataProtector _protector;

    /// <summary>Creates a protector from the app's Data Protection.</summary>
    /// <param name="provider">The app's <see cref="IDataProtectionProvider"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="provider"/> is null.</exception>
    public DataProtectionTokenProtector(IDataProtectionProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _protector = provider.CreateProtector(Purpose);
    }

    /// <inheritdoc />
    public byte[] Protect(byte[] plaintext, byte[] associatedData)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        ArgumentNullException.ThrowIfNull(associatedData);
        byte[] bound = new byte[4 + associatedData.Length + plaintext.Length];
        try
        {
            BinaryPrimitives.WriteInt32BigEndian(bound, associatedData.Length);
            associatedData.CopyTo(bound, 4);
            plaintext.CopyTo(bound, 4 + associatedData.Length);
            return _protector.Protect(bound);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bound);
        }
    }

    /// <inheritdoc />
    public byte[] Unprotect(byte[] protectedData, byte[] associatedData)
    {
        ArgumentNullException.ThrowIfNull(protectedData);
        ArgumentNullException.ThrowIfNull(associatedData);
        byte[] bound = _protector.Unprotect(protectedData);
        try
        {
            int length = bound.Length >= 4 ? BinaryPrimitives.ReadInt32BigEndian(bound) : -1;
            if (length != associatedData.Length || bound.Length < 4 + length
                || !CryptographicOperations.FixedTimeEquals(bound.AsSpan(4, length), associatedData))
            {
                throw new CryptographicException("The protected token belongs to another cache key.");
            }

            return bound.AsSpan(4 + length).ToArray();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bound);
        }
    }

    /// <summary>Describes the protector.</summary>
    /// <returns>The type and purpose.</returns>
    public override string ToString() => $"DataProtectionTokenProtector {{ Purpose = {Purpose} }}";
}
