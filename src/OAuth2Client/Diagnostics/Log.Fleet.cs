using Microsoft.Extensions.Logging;

namespace OAuth2Client.Diagnostics;

/// <summary>Log messages of fleet mode, the distributed token cache (event ids 14 to 18). An outage is logged once, not per request.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = EventIds.DistributedCacheUnavailable, EventName = nameof(EventIds.DistributedCacheUnavailable), Level = LogLevel.Warning,
        Message = "The distributed token cache of client '{ClientName}' is unavailable ({Reason}); tokens come from the local cache and the token endpoint, and the distributed cache is tried again every {Backoff} (logged once per outage)")]
    public static partial void DistributedCacheUnavailable(ILogger logger, string clientName, string reason, TimeSpan backoff);

    [LoggerMessage(EventId = EventIds.DistributedCacheRecovered, EventName = nameof(EventIds.DistributedCacheRecovered), Level = LogLevel.Information,
        Message = "The distributed token cache of client '{ClientName}' answers again; the fleet shares tokens again")]
    public static partial void DistributedCacheRecovered(ILogger logger, string clientName);

    [LoggerMessage(EventId = EventIds.TokenFromDistributedCache, EventName = nameof(EventIds.TokenFromDistributedCache), Level = LogLevel.Debug,
        Message = "Access token for client '{ClientName}' taken from the distributed cache (published by an instance of the fleet)")]
    public static partial void TokenFromDistributedCache(ILogger logger, string clientName);

    [LoggerMessage(EventId = EventIds.DistributedTokenUnreadable, EventName = nameof(EventIds.DistributedTokenUnreadable), Level = LogLevel.Warning,
        Message = "A token in the distributed cache for client '{ClientName}' cannot be decrypted (another encryption key, or changed data); it is ignored and replaced (logged once)")]
    public static partial void DistributedTokenUnreadable(ILogger logger, string clientName);

    [LoggerMessage(EventId = EventIds.FleetWaitExpired, EventName = nameof(EventIds.FleetWaitExpired), Level = LogLevel.Information,
        Message = "Another instance holds the token lease of client '{ClientName}' but published no token within {MaxWait}; this instance asks the token endpoint itself")]
    public static partial void FleetWaitExpired(ILogger logger, string clientName, TimeSpan maxWait);
}
