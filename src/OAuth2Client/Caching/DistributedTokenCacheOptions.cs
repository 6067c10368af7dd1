using System.Globalization;
using Microsoft.Extensions.Caching.Distributed;
using OAuth2Client.Caching;

namespace OAuth2Client;

/// <summary>
/// Fleet mode: a second-level token cache over the app's <see cref="IDistributedCache"/> (Redis, SQL Server, …), shared
/// by every instance of an app, with a fleet-wide lease so that a fleet asks the token endpoint about once per token
/// lifetime. Tokens are encrypted in the cache. The in-process cache stays the first level; the distributed cache is
/// consulted only when an instance has no token or is about to renew it, and never fails a request: when it is slow or
/// down, instances fetch their own tokens until it answers again.
/// </summary>
public sealed class DistributedTokenCacheOptions
{
    /// <summary>Gets or sets the distributed cache. Required without dependency injection; under DI the container's <see cref="IDistributedCache"/> is used when this is <see langword="null"/>.</summary>
    public IDistributedCache? Cache { get; set; }

    /// <summary>
    /// Gets or sets the AES-256-GCM key that encrypts tokens in the cache: 32 random bytes, base64 (for example from
    /// <c>openssl rand -base64 32</c>), the same on every instance, kept in a secret store. Ignored when
    /// <see cref="Protector"/> is set.
    /// </summary>
    public string? EncryptionKey { get; set; }

    /// <summary>Gets or sets the protector that encrypts tokens in the cache, instead of the AES-GCM default keyed by <see cref="EncryptionKey"/>.</summary>
    public IOAuth2TokenProtector? Protector { get; set; }

    /// <summary>
    /// Gets or sets the lock that elects the instance which asks the token endpoint. When <see langword="null"/>, a lease
    /// entry in <see cref="Cache"/> with an owner check is used (best effort).
    /// </summary>
    public IDistributedTokenLock? Lock { get; set; }

    /// <summary>
    /// Gets or sets the longest a distributed cache (or lock) call may take before it counts as an outage. Until the
    /// cache first answers, calls get at least 5 seconds: the first one also opens the connection.
    /// </summary>
    /// <value>The default value is 500 milliseconds.</value>
    public TimeSpan OperationTimeout { get; set; } = DistributedTokenCacheDefaults.OperationTimeout;

    /// <summary>Gets or sets how long the distributed cache is left alone after a call failed or timed out; requests meanwhile use the local cache and the token endpoint.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan OutageBackoff { get; set; } = DistributedTokenCacheDefaults.OutageBackoff;

    /// <summary>
    /// Gets or sets how long the fleet lease lasts if its holder never releases it (it crashed mid-request): the longest
    /// the other instances wait before one of them asks the token endpoint itself. Make it longer than a token request
    /// usually takes.
    /// </summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan LeaseDuration { get; set; } = DistributedTokenCacheDefaults.LeaseDuration;

    /// <summary>Lists every problem of these options, each naming the option and the fix; empty when they are valid.</summary>
    /// <returns>The problems found.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Cache is null)
        {
            errors.Add($"{nameof(Cache)} is required: pass the app's IDistributedCache (under dependency injection, register one, e.g. with AddStackExchangeRedisCache).");
        }

        if (Protector is null)
        {
            if (string.IsNullOrWhiteSpace(EncryptionKey))
            {
                errors.Add($"{nameof(EncryptionKey)} or {nameof(Protector)} is required: tokens are encrypted in the distributed cache. Set {nameof(EncryptionKey)} to 32 random bytes in base64 (e.g. 'openssl rand -base64 32'), the same on every instance.");
            }
            else if (!AesGcmTokenProtector.IsSupported)
            {
#if NETSTANDARD2_0
                errors.Add(AesGcmTokenProtector.NotSupportedMessage);
#endif
            }
            else if (!AesGcmTokenProtector.IsValidKey(EncryptionKey))
            {
                errors.Add($"{nameof(EncryptionKey)} must be 32 bytes (256 bits) in base64, e.g. from 'openssl rand -base64 32'.");
            }
        }

        CheckRange(errors, nameof(OperationTimeout), OperationTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));
        CheckRange(errors, nameof(OutageBackoff), OutageBackoff, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        CheckRange(errors, nameof(LeaseDuration), LeaseDuration, TimeSpan.FromMilliseconds(200), TimeSpan.FromMinutes(10));
        return errors;
    }

    /// <summary>Describes the options; the encryption key is never shown.</summary>
    /// <returns>The settings, with the key as <c>set</c> or <c>not set</c>.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"DistributedTokenCacheOptions {{ Cache = {Cache?.GetType().Name ?? "none"}, EncryptionKey = {(string.IsNullOrEmpty(EncryptionKey) ? "not set" : "set")}, Protector = {Protector?.GetType().Name ?? "AES-GCM"}, Lock = {Lock?.GetType().Name ?? "cache lease"}, OperationTimeout = {OperationTimeout}, OutageBackoff = {OutageBackoff}, LeaseDuration = {LeaseDuration} }}");

    private static void CheckRange(List<string> errors, string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{name} must be between {min} and {max} (it is {value})."));
        }
    }
}
