namespace Brokkr.FakeKube.Apply;

internal sealed class InvalidPatchException(string message) : Exception(message);
