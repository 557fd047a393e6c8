namespace Brokkr.FakeKube.Tests.Support;

public sealed record KubectlResult(int ExitCode, string Output, string Error)
{
    public KubectlResult ShouldSucceed()
    {
        ExitCode.ShouldBe(0, $"kubectl failed: {Error}");
        return this;
    }
}
