namespace Brokkr.FakeKube.Tests.Support;

/// <summary>A test that drives the real kubectl: skipped, saying why, when kubectl is not installed.</summary>
public sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute()
    {
        Timeout = 90_000;
        if (!Kubectl.Available)
        {
            Skip = Kubectl.MissingMessage;
        }
    }
}
