// Compiled for netstandard2.0 only (see Directory.Build.targets): the one-shot hashing, random and constant-time helpers
// of .NET 5+, built from the netstandard2.0 primitives.
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;

namespace System.Security.Cryptography;

[Microsoft.CodeAnalysis.Embedded]
internal static class SecurityPolyfills
{
    extension(SHA256)
    {
        public static byte[] HashData(byte[] source)
        {
            using var sha = SHA256.Create();
            return sha.ComputeHash(source);
        }

        public static byte[] HashData(ReadOnlySpan<byte> source) => SHA256.HashData(source.ToArray());
    }

    extension(HMACSHA256)
    {
        public static byte[] HashData(byte[] key, byte[] source)
        {
            using var hmac = new HMACSHA256(key);
            return hmac.ComputeHash(source);
        }
    }

    extension(RandomNumberGenerator)
    {
        public static byte[] GetBytes(int count)
        {
            byte[] bytes = new byte[count];
            using var random = RandomNumberGenerator.Create();
            random.GetBytes(bytes);
            return bytes;
        }

        /// <summary>A uniform integer in [0, <paramref name="toExclusive"/>), by rejection sampling.</summary>
        public static int GetInt32(int toExclusive)
        {
            uint range = (uint)toExclusive;
            uint limit = uint.MaxValue - (uint.MaxValue % range);
            byte[] bytes = new byte[4];
            using var random = RandomNumberGenerator.Create();
            uint value;
            do
            {
                random.GetBytes(bytes);
                value = BitConverter.ToUInt32(bytes, 0);
            }
            while (value >= limit);
            return (int)(value % range);
        }
    }

    extension(IncrementalHash hash)
    {
        public void AppendData(ReadOnlySpan<byte> data) => hash.AppendData(data.ToArray());
    }

    extension(X509Certificate certificate)
    {
        public string GetCertHashString(HashAlgorithmName algorithm)
            => algorithm == HashAlgorithmName.SHA256
                ? Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()))
                : throw new PlatformNotSupportedException($"Only SHA-256 certificate hashes are available on this platform, not {algorithm.Name}.");
    }
}

/// <summary>The constant-time comparison and zeroing of .NET Core 2.1+.</summary>
[Microsoft.CodeAnalysis.Embedded]
internal static class CryptographicOperations
{
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization)]
    public static bool FixedTimeEquals(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        if (left.Length != right.Length)
        {
            return false;
        }

        int accumulator = 0;
        for (int i = 0; i < left.Length; i++)
        {
            accumulator |= left[i] - right[i];
        }

        return accumulator == 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization)]
    public static void ZeroMemory(Span<byte> buffer) => buffer.Clear();
}
