using System.Net.Http.Headers;
using System.Text.Json;
using OAuth2Client.ClientAuthentication;
using OAuth2Client.Grants;
using OAuth2Client.Settings;

namespace OAuth2Client.Endpoint;

/// <summary>
/// Turns a grant into a <see cref="TokenRequest"/> in the dialect of the client's profile: the grant's own fields,
/// then client authentication, then the request's own parameters (scope, resource, audience), the configured scope and
/// extra parameters, encoded as a form or JSON. Pure: no I/O, no clock (a client assertion is made by the caller for
/// each attempt and handed in), so every dialect's exact bytes can be tested without a server.
/// </summary>
internal sealed class TokenRequestBuilder
{
    private static readonly MediaTypeWithQualityHeaderValue[] AcceptJson = [new("application/json")];
    private static readonly MediaTypeWithQualityHeaderValue[] AcceptXml = [new("application/xml")];
    private static readonly MediaTypeWithQualityHeaderValue[] AcceptJsonOrXml = [new("application/json"), new("application/xml", 0.9)];

    private readonly ClientSettings _settings;
    private readonly ClientAuthenticationMethod _authentication;

    public TokenRequestBuilder(ClientSettings settings)
    {
        _settings = settings;
        _authentication = ClientAuthenticationMethod.Create(settings);
    }

    /// <summary>Whether every attempt needs a fresh client assertion (passed to <see cref="Build"/>).</summary>
    public bool UsesAssertion => _authentication.UsesAssertion;

    /// <param name="grant">The grant, which writes its own fields.</param>
    /// <param name="parameters">A request's own token parameters, which win over the configured scope and extra parameters.</param>
    /// <param name="clientAssertion">This attempt's client assertion, when <see cref="UsesAssertion"/>.</param>
    public TokenRequest Build(ITokenGrant grant, OAuth2TokenParameters? parameters = null, string? clientAssertion = null)
    {
        var request = new TokenRequestFields();
        grant.AddFields(request);
        _authentication.Apply(request, clientAssertion);
        if (_settings.SendClientIdInBody)
        {
            request.AddIfMissing("client_id", _settings.ClientId);
        }

        if (parameters is not null)
        {
            AddIfSet(request, _settings.ScopeParameterName, parameters.Scope);
            AddIfSet(request, "resource", parameters.Resource);
            AddIfSet(request, "audience", parameters.Audience);
        }

        if (_settings.Scope is not null)
        {
            request.AddIfMissing(_settings.ScopeParameterName, _settings.Scope);
        }

        foreach (KeyValuePair<string, string> parameter in _settings.AdditionalParameters)
        {
            request.AddIfMissing(parameter.Key, parameter.Value);
        }

        (byte[] body, string contentType) = _settings.RequestFormat == TokenRequestFormat.Json
            ? (EncodeJson(request.Fields), "application/json")
            : (FormEncoding.EncodeBody(request.Fields), "application/x-www-form-urlencoded");

        IReadOnlyList<MediaTypeWithQualityHeaderValue> accept = _settings.ResponseFormat switch
        {
            TokenResponseFormat.Json => AcceptJson,
            TokenResponseFormat.Xml => AcceptXml,
            _ => AcceptJsonOrXml,
        };

        return new TokenRequest(_settings.TokenEndpoint, request.Authorization, body, contentType, accept, request.Credentials, grant.IsRetriable);
    }

    private static void AddIfSet(TokenRequestFields request, string name, string? value)
    {
        if (value is not null)
        {
            request.AddIfMissing(name, value);
        }
    }

    private static byte[] EncodeJson(IReadOnlyList<KeyValuePair<string, string>> fields)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (KeyValuePair<string, string> field in fields)
            {
                writer.WriteString(field.Key, field.Value);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
