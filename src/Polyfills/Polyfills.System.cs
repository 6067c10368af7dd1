// Compiled for netstandard2.0 only (see Directory.Build.targets): the .NET 5+ members the library calls, as internal
// C# 14 extension members on the same types, so that the call sites are the same on every target.
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace System;

[Microsoft.CodeAnalysis.Embedded]
internal static class SystemPolyfills
{
    extension(ArgumentNullException)
    {
        public static void ThrowIfNull([NotNull] object? argument, [CallerArgumentExpression(nameof(argument))] string? paramName = null)
        {
            if (argument is null)
            {
                throw new ArgumentNullException(paramName);
            }
        }
    }

    extension(ArgumentException)
    {
        public static void ThrowIfNullOrWhiteSpace([NotNull] string? argument, [CallerArgumentExpression(nameof(argument))] string? paramName = null)
        {
            ArgumentNullException.ThrowIfNull(argument, paramName);
            if (string.IsNullOrWhiteSpace(argument))
            {
                throw new ArgumentException("The value cannot be an empty string or composed entirely of whitespace.", paramName);
            }
        }
    }

    extension(ArgumentOutOfRangeException)
    {
        public static void ThrowIfNegative(long value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
        {
            if (value < 0)
            {
                throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} ('{value}') must be a non-negative value.");
            }
        }

        public static void ThrowIfGreaterThan<T>(T value, T other, [CallerArgumentExpression(nameof(value))] string? paramName = null)
            where T : IComparable<T>
        {
            if (value.CompareTo(other) > 0)
            {
                throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} ('{value}') must be less than or equal to '{other}'.");
            }
        }
    }

    extension(ObjectDisposedException)
    {
        public static void ThrowIf([DoesNotReturnIf(true)] bool condition, object instance)
        {
            if (condition)
            {
                throw new ObjectDisposedException(instance.GetType().FullName);
            }
        }
    }

    extension(Environment)
    {
        /// <summary>Milliseconds of a monotonic clock (the high-resolution <see cref="Stopwatch"/>).</summary>
        public static long TickCount64 => (long)(Stopwatch.GetTimestamp() * s_millisecondsPerTimestampTick);
    }

    private static readonly double s_millisecondsPerTimestampTick = 1000.0 / Stopwatch.Frequency;

    extension(OperatingSystem)
    {
        public static bool IsWindows() => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        public static bool IsMacOS() => RuntimeInformation.IsOSPlatform(OSPlatform.OSX);
    }

    extension(Convert)
    {
        public static string ToHexString(byte[] bytes)
        {
            const string Digits = "0123456789ABCDEF";
            var chars = new char[bytes.Length * 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                chars[2 * i] = Digits[bytes[i] >> 4];
                chars[(2 * i) + 1] = Digits[bytes[i] & 0xF];
            }

            return new string(chars);
        }

        public static string ToBase64String(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes.ToArray());
    }

    extension(string)
    {
        /// <summary>Formats <paramref name="text"/> with <paramref name="provider"/> (the interpolated string becomes a <see cref="FormattableString"/>).</summary>
        public static string Create(IFormatProvider? provider, FormattableString text) => text.ToString(provider);

        public static string Concat(ReadOnlySpan<char> first, string second) => string.Concat(first.ToString(), second);
    }

    extension(string text)
    {
        public bool Contains(string value, StringComparison comparison) => text.IndexOf(value, comparison) >= 0;

        public bool Contains(char value, StringComparison comparison) => text.IndexOf(value.ToString(), comparison) >= 0;

        public bool StartsWith(char value) => text.Length > 0 && text[0] == value;

        public int IndexOf(char value, StringComparison comparison) => text.IndexOf(value.ToString(), comparison);

        /// <summary>Replaces every newline sequence (CR, LF, CRLF, NEL, LS, PS, FF) with <paramref name="replacementText"/>.</summary>
        public string ReplaceLineEndings(string replacementText)
        {
            var builder = new Text.StringBuilder(text.Length);
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c is '\r' or '\n' or '\f' or '\u0085' or '\u2028' or '\u2029')
                {
                    builder.Append(replacementText);
                    if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                    {
                        i++;
                    }
                }
                else
                {
                    builder.Append(c);
                }
            }

            return builder.ToString();
        }

        public string[] Split(char separator, StringSplitOptions options) => text.Split([separator], options);

        public string Replace(string oldValue, string? newValue, StringComparison comparison)
        {
            var builder = new Text.StringBuilder(text.Length);
            int start = 0;
            int found;
            while ((found = text.IndexOf(oldValue, start, comparison)) >= 0)
            {
                builder.Append(text, start, found - start).Append(newValue);
                start = found + oldValue.Length;
            }

            return builder.Append(text, start, text.Length - start).ToString();
        }
    }

    extension(char)
    {
        public static bool IsAsciiLetterOrDigit(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9');

        public static bool IsAsciiDigit(char c) => c is >= '0' and <= '9';
    }

    extension(ReadOnlySpan<char> span)
    {
        public int IndexOfAnyExceptInRange(char lowInclusive, char highInclusive)
        {
            for (int i = 0; i < span.Length; i++)
            {
                if (span[i] < lowInclusive || span[i] > highInclusive)
                {
                    return i;
                }
            }

            return -1;
        }
    }

    extension(Enum)
    {
        public static bool TryParse(Type enumType, string? value, bool ignoreCase, out object? result)
        {
            try
            {
                result = value is null ? null : Enum.Parse(enumType, value, ignoreCase);
                return result is not null;
            }
            catch (ArgumentException)
            {
                result = null;
                return false;
            }
        }

        public static bool IsDefined<TEnum>(TEnum value)
            where TEnum : struct, Enum
            => Enum.IsDefined(typeof(TEnum), value);

        public static string[] GetNames<TEnum>()
            where TEnum : struct, Enum
            => Enum.GetNames(typeof(TEnum));
    }

    extension(Text.StringBuilder builder)
    {
        public Text.StringBuilder Append(ReadOnlySpan<char> value) => builder.Append(value.ToString());
    }

    extension(Text.Encoding encoding)
    {
        public int GetBytes(ReadOnlySpan<char> chars, Span<byte> bytes)
        {
            byte[] encoded = encoding.GetBytes(chars.ToArray());
            encoded.CopyTo(bytes);
            return encoded.Length;
        }

        public string GetString(ReadOnlySpan<byte> bytes) => encoding.GetString(bytes.ToArray());
    }

    extension<TKey, TValue>(Collections.Concurrent.ConcurrentDictionary<TKey, TValue> dictionary)
        where TKey : notnull
    {
        /// <summary>Removes the entry only if it still has the given value (atomically, as on .NET 5+).</summary>
        public bool TryRemove(Collections.Generic.KeyValuePair<TKey, TValue> item)
            => ((Collections.Generic.ICollection<Collections.Generic.KeyValuePair<TKey, TValue>>)dictionary).Remove(item);
    }

    extension<TKey, TValue>(Collections.Generic.Dictionary<TKey, TValue> dictionary)
        where TKey : notnull
    {
        public TValue? GetValueOrDefault(TKey key) => dictionary.TryGetValue(key, out TValue? value) ? value : default;

        public bool TryAdd(TKey key, TValue value)
        {
            if (dictionary.ContainsKey(key))
            {
                return false;
            }

            dictionary.Add(key, value);
            return true;
        }
    }
}
