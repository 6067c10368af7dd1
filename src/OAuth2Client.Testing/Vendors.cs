using System.Text;
using Microsoft.AspNetCore.Http;

namespace OAuth2Client.Testing;

/// <summary>
/// The four vendor dialects of <c>shared/seeds</c> as emulator behaviours. Where a document is vague, the reading
/// chosen is noted on the member.
/// </summary>
public static class Vendors
{
    /// <summary>CSV a PxPlus query answers with.</summary>
    public static readonly byte[] PxPlusQueryCsv = Encoding.UTF8.GetBytes("CustNo,Name,Balance\r\n000100,ABC Company,1234.56\r\n000200,Zoë & Co.,-17.00\r\n");

    /// <summary>A PxPlus report: a (tiny) PDF with binary bytes, to prove bodies pass through untouched.</summary>
    public static readonly byte[] PxPlusReportPdf = [.. "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n"u8, 0x00, 0xFF, 0x10, 0x80, .. "\n%%EOF\n"u8];

    /// <summary>A PxPlus chart: PNG signature plus bytes.</summary>
    public static readonly byte[] PxPlusChartPng = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0xFF, 0x00];

    /// <summary>
    /// PxPlus Web Services: <c>POST /services/oauth2/token.pxp</c>, Basic base64(id:secret) only (the document names no
    /// other way), form body <c>grant_type=client_credentials</c>; errors 400/401 with <c>{"error": ...}</c> and nothing else;
    /// the API at <c>/services/service.pxp?id=...</c> answers CSV, PDF or PNG, and 401/404 with HTML pages.
    /// </summary>
    public static TokenEndpointBehavior PxPlus { get; } = new()
    {
        Name = "PxPlus",
        TokenPath = "/services/oauth2/token.pxp",
        ClientAuth = AcceptedClientAuth.BasicRaw,
        Body = RequiredBody.Form,
        ErrorDescriptions = false,
        ApiPath = "/services/",
        Api = PxPlusServiceAsync,
        Unauthorized = context => HtmlAsync(context, "401 Unauthorized", "A valid OAuth2 access token is required to access this web service."),
    };

    /// <summary>
    /// CentraSite / webMethods Mediator <c>getOAuth2AccessToken</c> at <c>/rest/pub.mediator.oauth2.getOAuth2AccessToken</c>
    /// (reading: the REST path of the service whose name the XML namespace in the document carries). Credentials in a Basic
    /// header (raw), a JSON body or a form body, the header winning when both are sent; optional <c>scope</c>; no
    /// <c>grant_type</c> input (refused when sent, so a client that adds undocumented inputs is caught); answers JSON, or
    /// XML when the Accept header prefers XML; adds the scope it chose to the response.
    /// </summary>
    public static TokenEndpointBehavior CentraSite { get; } = new()
    {
        Name = "CentraSite",
        TokenPath = "/rest/pub.mediator.oauth2.getOAuth2AccessToken",
        ClientAuth = AcceptedClientAuth.BasicRaw | AcceptedClientAuth.JsonBody | AcceptedClientAuth.FormBody,
        Body = RequiredBody.FormOrJson,
        RequireGrantType = false,
        ResponseFormat = EmulatedResponseFormat.ByAccept,
        DefaultScope = "DefaultVirtualService",
        ReturnScope = true,
        ApiPath = "/ws/",
    };

    /// <summary>
    /// Oracle ORDS for schema alias <c>hr</c>: <c>POST /ords/hr/oauth/token</c>, Basic (raw, like <c>curl --user</c>),
    /// <c>Content-Type: application/x-www-form-urlencoded</c> required, <c>grant_type=client_credentials</c>;
    /// <c>token_type: "bearer"</c>; any failure is a bare 401 with an empty body. REST-enabled table at <c>/ords/hr/employees/</c>.
    /// </summary>
    public static TokenEndpointBehavior Ords { get; } = new()
    {
        Name = "Oracle ORDS",
        TokenPath = "/ords/hr/oauth/token",
        ClientAuth = AcceptedClientAuth.BasicRaw,
        Body = RequiredBody.Form,
        TokenType = "bearer",
        Errors = ErrorStyle.BareStatus,
        ApiPath = "/ords/hr/",
        Api = OrdsTableAsync,
    };

    /// <summary>
    /// webMethods API Gateway, client credentials: <c>POST /invoke/pub.apigateway.oauth2/getAccessToken</c> with Basic
    /// client authentication (raw) and a JSON body carrying <c>grant_type</c>; a form body is refused.
    /// </summary>
    public static TokenEndpointBehavior WebMethodsApiGateway { get; } = new()
    {
        Name = "webMethods API Gateway",
        TokenPath = "/invoke/pub.apigateway.oauth2/getAccessToken",
        ClientAuth = AcceptedClientAuth.BasicRaw,
        Body = RequiredBody.Json,
        ApiPath = "/gateway/",
    };

    private static Task PxPlusServiceAsync(HttpContext context, RecordedRequest request)
    {
        string? id = context.Request.Path.Equals("/services/service.pxp", StringComparison.Ordinal) ? context.Request.Query["id"].ToString() : null;
        (string? type, byte[]? body) = id switch
        {
            "myQuery" or "customers" => ("text/csv", PxPlusQueryCsv),
            "report" => ("application/pdf", PxPlusReportPdf),
            "chart" => ("image/png", PxPlusChartPng),
            _ => (null, null),
        };
        if (body is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return HtmlAsync(context, "404 Not Found", $"The web service '{id}' is not defined.");
        }

        context.Response.ContentType = type;
        return context.Response.Body.WriteAsync(body).AsTask();
    }

    private static Task OrdsTableAsync(HttpContext context, RecordedRequest request)
    {
        if (!context.Request.Path.StartsWithSegments("/ords/hr/employees", StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(
            "{\"items\":[{\"empno\":7369,\"ename\":\"SMITH\",\"job\":\"CLERK\"},{\"empno\":7499,\"ename\":\"ALLEN\",\"job\":\"SALESMAN\"}],"
            + "\"hasMore\":false,\"limit\":25,\"offset\":0,\"count\":2,\"links\":[]}");
    }

    private static Task HtmlAsync(HttpContext context, string title, string text)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync($"<!DOCTYPE html><html><head><title>{title}</title></head><body><h1>{title}</h1><p>{text}</p></body></html>");
    }
}
