using System.Net;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.OpenApi;

namespace Simulation.Workshop.Web;

/// <summary>
/// The workshop's web server: Kestrel on one address, the JSON API, its OpenAPI document at <c>/openapi/v1.json</c> and
/// the pages in <c>wwwroot</c>. The CLI adds the embedded Orleans silo to the same host before <see cref="Build"/>.
/// </summary>
public static class WorkshopServer
{
    /// <summary>The largest request body accepted (413 past it).</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>The folder of the pages, beside the program.</summary>
    public static string WebRoot => Path.Combine(AppContext.BaseDirectory, "wwwroot");

    /// <summary>A host for <paramref name="runtime"/> listening on <paramref name="bind"/>:<paramref name="port"/> (0: a free port).</summary>
    public static WebApplicationBuilder CreateBuilder(WorkshopRuntime runtime, IPAddress bind, int port)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(WorkshopServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = WebRoot,
            EnvironmentName = "Production",
        });
        // No request logging: tokens travel in headers, and nothing below Warning is written (to stderr).
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.AddFilter("Orleans.Runtime.Silo", LogLevel.Error);
        builder.Logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
        // A grain turn over a second (a round's play) is by design, not a fault to warn a facilitator of.
        builder.Logging.AddFilter("Orleans.Runtime.Scheduler.WorkItemGroup", LogLevel.Error);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = MaxBodyBytes;
            k.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            k.Listen(bind, port);
        });
        builder.Services.AddSingleton(runtime);
        builder.Services.AddSingleton<IExportPart, SessionReport>();
        builder.Services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Simulation workshop API";
            document.Info.Description =
                "Strategy workshops: teams play companies of a scenario round by round, a facilitator runs the room. " +
                "Send `Authorization: Bearer <token>` (the tokens are in the session folder's session.json and the join links). " +
                "A team's token acts only for its company; facilitator actions need the facilitator's token (403 for a team's, 401 without one). " +
                "Errors are `{status, title, errors: [{field, message}]}`. Every name in a response is data: escape it.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "A session token: the facilitator's or a team's (256 random bits, base64url).",
            };
            return Task.CompletedTask;
        }));
        return builder;
    }

    /// <summary>The app: security headers, the pages, the API and the OpenAPI document.</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.Use(async (http, next) =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'";
            headers.XFrameOptions = "DENY";
            if (http.Request.Path.StartsWithSegments("/api"))
            {
                headers.CacheControl = "no-store";
            }
            await next(http);
        });
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapOpenApi();
        WorkshopApi.Map(app);
        PagesApi.Map(app);
        return app;
    }

    /// <summary>The address the server listens on once started (the port chosen when asked for 0).</summary>
    public static Uri Address(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new Uri(addresses.First());
    }
}
