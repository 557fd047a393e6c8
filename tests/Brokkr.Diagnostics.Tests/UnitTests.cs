using Brokkr.Diagnostics.Features;
using Brokkr.Shared.Errors;

namespace Brokkr.Diagnostics.Tests;

public sealed class UnitTests
{
    [Theory]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("\"text\"")]
    [InlineData("0")]
    [InlineData("{\"a\":[1,2,{\"b\":null}]}")]
    public void Result_documents_that_are_json_pass(string text)
        => Should.NotThrow(() => RecordDiagnosticResult.Validate("events", text));

    [Theory]
    [InlineData("")]
    [InlineData("\t\n")]
    [InlineData("[")]
    [InlineData("[] []")]
    [InlineData("undefined")]
    [InlineData("[\"a\0b\"]")]
    public void Result_documents_that_are_empty_or_not_json_fail(string text)
    {
        var error = Should.Throw<ApiException>(() => RecordDiagnosticResult.Validate("events", text));

        error.Status.ShouldBe(400);
        error.Code.ShouldBe("invalid_diagnostic_result");
    }
}
