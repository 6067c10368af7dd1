using System.Net.Http.Headers;
using System.Text.Json;

namespace OAuth2Client.Endpoint;

/// <summary>
/// What a token request carries while it is being built: the body fields in order, an optional Authorization header,
/// and every credential among them (so that anything the server echoes can be scrubbed of it). Grants and client
/// authentication methods write to it; the request builder turns it into a <see cref="TokenRequest"/>.
/// </summary>
internal sealed class TokenRequestFields
{
    private readonly List<KeyValuePair<string, string>> _fields = [];
    private readonly List<string> _credentials = [];

    /// <summary>The body fields, in the order they were added.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields => _fields;

    /// <summary>Every credential the request carries, in each form it is sent.</summary>
    public IReadOnlyList<string> Credentials => _credentials;

    /// <summary>The client authentication header, if the method sends one.</summary>
    public AuthenticationHeaderValue? Authorization { get; set; }

    /// <summary>Adds a field; a credential (a secret, code, verifier, refresh token, assertion) is also remembered as one.</summary>
    public void Add(string name, string value, bool isCredential = false)
    {
        _fields.Add(new KeyValuePair<string, string>(name, value));
        if (isCredential)
        {
            // Every form the value may travel or come back in: raw, form-encoded, and JSON-escaped (a JSON body
            // sends "+" as \u002B).
            _credentials.Add(value);
            _credentials.Add(FormEncoding.Encode(value));
            _credentials.Add(JsonEncodedText.Encode(value).ToString());
        }
    }

    /// <summary>Adds a field unless one of that name is already there (what a grant set wins over general settings).</summary>
    public void AddIfMissing(string name, string value, bool isCredential = false)
    {
        if (!Contains(name))
        {
            Add(name, value, isCredential);
        }
    }

    public bool Contains(string name) => _fields.Exists(f => f.Key == name);

    /// <summary>Remembers credentials sent outside the body (a Basic header's value and the secret inside it).</summary>
    public void AddCredentials(IEnumerable<string> credentials) => _credentials.AddRange(credentials);
}
