using Brokkr.Shared.Errors;
using FluentValidation;
using Mediator;

namespace Brokkr.Host.Api;

/// <summary>
/// Runs the message's FluentValidation validators. The first failure becomes the envelope: its
/// ErrorCode is the <c>code</c>, and a CustomState of 422 selects that status (400 otherwise).
/// </summary>
internal sealed class ValidationBehavior<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(message, cancellationToken);
            if (!result.IsValid)
            {
                var first = result.Errors[0];
                var status = first.CustomState is int s ? s : 400;
                var code = string.IsNullOrEmpty(first.ErrorCode) || first.ErrorCode.EndsWith("Validator", StringComparison.Ordinal)
                    ? "invalid_request"
                    : first.ErrorCode;
                var errors = result.Errors.Select(e => new Dictionary<string, object?> { ["field"] = ToSnake(e.PropertyName), ["message"] = e.ErrorMessage }).ToList();
                throw new ApiException(status, code, first.ErrorMessage, new Dictionary<string, object?> { ["validation_errors"] = errors });
            }
        }

        return await next(message, cancellationToken);
    }

    private static string ToSnake(string name) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(name.Replace(".", "_", StringComparison.Ordinal));
}
