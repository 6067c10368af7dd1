namespace OAuth2Client.Tests.TestSupport;

/// <summary>Tests that touch process-wide state (the console, meter listeners) run alone, outside the parallel collections.</summary>
[CollectionDefinition(nameof(ConsoleOutputTests), DisableParallelization = true)]
public sealed class ConsoleOutputTests;
