using System.Net;
using System.Net.Http.Headers;

namespace OAuth2Client.Http;

/// <summary>
/// Decides whether a 401 from the API blames the token, so that a new token can help (RFC 6750 §3): a 401 with no
/// <c>WWW-Authenticate</c> at all (PxPlus answers with an HTML page), or a <c>Bearer</c> challenge whose <c>error</c> is
/// <c>invalid_token</c> or absent. A 401 that asks for another scheme, names another error (<c>insufficient_scope</c>,
/// <c>invalid_request</c>), or came from a redirect target (which never saw the token) is returned untouched.
/// </summary>
internal static class UnauthorizedPolicy
{
    /// <summary>Whether the response is a 401 that a renewed token could cure; otherwise, for a 401, why not.</summary>
    public static bool BlamesToken(HttpRequestMessage request, Uri? sentTo, HttpResponseMessage response, out string? whyNot)
    {
        whyNot = null;
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return false;
        }

        if (!Equals(request.RequestUri, sentTo))
        {
            // After a redirect the inner handler dropped the Authorization header: the 401 says nothing about the token.
            whyNot = "it came from a redirect target, which was not sent the token";
            return false;
        }

        HttpHeaderValueCollection<AuthenticationHeaderValue> challenges = response.Headers.WwwAuthenticate;
        if (challenges.Count == 0)
        {
            if (response.Headers.NonValidated.Contains("WWW-Authenticate"))
            {
                whyNot = "its WWW-Authenticate header could not be read as a challenge";
                return false;
            }

            return true;
        }

        string? other = null;
        foreach (AuthenticationHeaderValue challenge in challenges)
        {
            if (string.Equals(challenge.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase))
            {
                string? error = ReadParameter(challenge.Parameter, "error");
                if (error is null || error == "invalid_token")
                {
                    return true;
                }

                whyNot = $"the Bearer challenge says error '{Diagnostics.Redaction.Quote(error)}', which a new token does not cure";
                return false;
            }

            other ??= challenge.Scheme;
        }

        whyNot = $"the server asks for the '{Diagnostics.Redaction.Quote(other!)}' scheme, not Bearer";
        return false;
    }

    /// <summary>The value of one auth-param (RFC 9110 §11.2: <c>name=token</c> or <c>name="quoted string"</c>), or <see langword="null"/>.</summary>
    internal static string? ReadParameter(string? parameters, string name)
    {
        if (string.IsNullOrEmpty(parameters))
        {
            return null;
        }

        int i = 0;
        while (i < parameters.Length)
        {
            while (i < parameters.Length && parameters[i] is ' ' or '\t' or ',')
            {
                i++;
            }

            int nameStart = i;
            while (i < parameters.Length && parameters[i] is not ('=' or ',' or ' ' or '\t'))
            {
                i++;
            }

            string key = parameters[nameStart..i];
            while (i < parameters.Length && parameters[i] is ' ' or '\t')
            {
                i++;
            }

            if (i >= parameters.Length || parameters[i] != '=')
            {
                continue; // a token68 or a malformed pair: skip it
            }

            i++;
            while (i < parameters.Length && parameters[i] is ' ' or '\t')
            {
                i++;
            }

            string value;
            if (i < parameters.Length && parameters[i] == '"')
            {
                var text = new System.Text.StringBuilder();
                for (i++; i < parameters.Length && parameters[i] != '"'; i++)
                {
                    if (parameters[i] == '\\' && i + 1 < parameters.Length)
                    {
                        i++;
                    }

                    text.Append(parameters[i]);
                }

                i++;
                value = text.ToString();
            }
            else
            {
                int valueStart = i;
                while (i < parameters.Length && parameters[i] is not (',' or ' ' or '\t'))
                {
                    i++;
                }

                value = parameters[valueStart..i];
            }

            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }
}
