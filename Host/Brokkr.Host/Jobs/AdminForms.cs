using System.Security.Cryptography;
using System.Text;
using Brokkr.Auth;
using Microsoft.AspNetCore.WebUtilities;

namespace Brokkr.Host.Jobs;

/// <summary>
/// The dashboard's sign-in cookie and its defence against cross-site form posts. The cookie is
/// SameSite=Strict, HttpOnly, Secure over HTTPS and scoped to <c>/admin</c>; on top of that every form
/// carries a token the posting page could only have read from the broker: before sign-in a random
/// value that must match a cookie of its own (double submit), after sign-in an HMAC keyed by the PAK
/// itself, so it needs no server-side state or shared key and works on any replica. A post whose
/// Origin or Sec-Fetch-Site says it came from another site is refused before the token is looked at.
/// </summary>
internal static class AdminForms
{
    public const string TokenField = "csrf";
    public const string SignInCookie = "brokkr_admin_csrf";
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    private static readonly byte[] Purpose = Encoding.UTF8.GetBytes("brokkr/admin/jobs/form/v1");

    /// <summary>The PAK the page request authenticated with: the Authorization header, else the sign-in cookie.</summary>
    public static string? Credential(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return string.IsNullOrWhiteSpace(header) ? context.Request.Cookies[AuthModule.AdminPageCookie] : header;
    }

    public static string SessionToken(string credential)
        => WebEncoders.Base64UrlEncode(HMACSHA256.HashData(SHA256.HashData(Encoding.UTF8.GetBytes(credential)), Purpose));

    /// <summary>The sign-in form's token, minted into its cookie when the form is shown.</summary>
    public static string SignInToken(HttpContext context)
    {
        var token = context.Request.Cookies[SignInCookie];
        if (string.IsNullOrEmpty(token) || token.Length != 43)
        {
            token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
            context.Response.Cookies.Append(SignInCookie, token, CookieOptions(context, maxAge: TimeSpan.FromHours(1)));
        }

        return token;
    }

    public static bool IsCrossSite(HttpContext context)
    {
        var site = context.Request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none"))
        {
            return true;
        }

        var origin = context.Request.Headers.Origin.ToString();
        return origin.Length > 0
            && !string.Equals(origin, $"{context.Request.Scheme}://{context.Request.Host.Value}", StringComparison.OrdinalIgnoreCase);
    }

    public static bool SignInTokenIsValid(HttpContext context, IFormCollection form)
        => !IsCrossSite(context) && Matches(context.Request.Cookies[SignInCookie], form[TokenField].ToString());

    public static bool SessionTokenIsValid(HttpContext context, IFormCollection form)
        => !IsCrossSite(context) && Credential(context) is { } credential && Matches(SessionToken(credential), form[TokenField].ToString());

    public static void SignIn(HttpContext context, string pak)
    {
        context.Response.Cookies.Append(AuthModule.AdminPageCookie, pak, CookieOptions(context, SessionLifetime));
        context.Response.Cookies.Delete(SignInCookie, CookieOptions(context, maxAge: null));
    }

    public static void SignOut(HttpContext context)
        => context.Response.Cookies.Delete(AuthModule.AdminPageCookie, CookieOptions(context, maxAge: null));

    private static CookieOptions CookieOptions(HttpContext context, TimeSpan? maxAge) => new()
    {
        HttpOnly = true,
        Secure = context.Request.IsHttps,
        SameSite = SameSiteMode.Strict,
        Path = "/admin",
        IsEssential = true,
        MaxAge = maxAge,
    };

    private static bool Matches(string? expected, string? presented)
        => !string.IsNullOrEmpty(expected) && !string.IsNullOrEmpty(presented)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(presented));
}
