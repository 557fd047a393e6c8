using Brokkr.FakeKube.Api;

namespace Brokkr.FakeKube.Hosting;

/// <summary>
/// In order: record the request, check the bearer token, inject a configured fault, and turn failures
/// into Status objects. Admin requests under /_fake are neither recorded nor faulted.
/// </summary>
internal static class ApiMiddleware
{
    public const string AdminPrefix = "/_fake";

    public static void Use(WebApplication app, FakeKubeState state)
    {
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(AdminPrefix))
            {
                await next(context);
                return;
            }

            var recorded = state.Requests.Record(context.Request, state.Now);
            try
            {
                if (!Authorised(context, state.Options))
                {
                    throw new ApiException(401, "Unauthorized", "Unauthorized");
                }

                if (state.Faults.Take(context.Request.Method, context.Request.Path.Value ?? string.Empty) is { } fault)
                {
                    await Task.Delay(fault.Delay, context.RequestAborted);
                    if (fault.StatusCode is { } code)
                    {
                        throw new ApiException(code, StatusObjects.ReasonFor(code), $"injected fault: {StatusObjects.ReasonFor(code)}");
                    }
                }

                await next(context);
            }
            catch (ApiException error) when (!context.Response.HasStarted)
            {
                await Respond.Failure(context, error);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client went away; there is no one to answer.
            }
            catch (Exception error) when (!context.Response.HasStarted)
            {
                await Respond.Failure(context, new ApiException(500, "InternalError", $"Internal error occurred: {error.Message}"));
            }
            finally
            {
                recorded.StatusCode = context.Response.StatusCode;
            }
        });
    }

    private static bool Authorised(HttpContext context, FakeKubeOptions options) =>
        !options.RequireToken || context.Request.Headers.Authorization.ToString() == $"Bearer {options.Token}";
}
