using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using static OAuth2Client.Testing.Tests.Wire;

namespace OAuth2Client.Testing.Tests;

/// <summary><see cref="VendorEmulators"/>: the four vendors at once.</summary>
public sealed class VendorEmulatorsTests
{
    [Fact]
    public async Task VendorEmulators_StartsFourVendorsOnDistinctPorts_WithTheSameCredentials()
    {
        await using VendorEmulators emulators = await VendorEmulators.StartAsync("app", "secret");

        Assert.Equal(["PxPlus", "CentraSite", "webMethods API Gateway", "Oracle ORDS"], emulators.All.Select(s => s.Behavior.Name));
        Assert.Equal(4, emulators.All.Select(s => s.BaseAddress.Port).Distinct().Count());
        foreach (EmulatedOAuthServer server in emulators.All)
        {
            using HttpResponseMessage response = await RequestTokenAsync(server);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{server}: {(int)response.StatusCode}");
        }

        Assert.EndsWith("/invoke/pub.apigateway.oauth2/authorize", emulators.WebMethodsApiGateway.AuthorizationEndpoint.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VendorEmulators_WhenThePortIsTaken_ThrowsIOException()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;

        await Assert.ThrowsAsync<IOException>(() => VendorEmulators.StartAsync("app", "secret", port));
    }
}
