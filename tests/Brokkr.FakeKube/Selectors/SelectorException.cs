namespace Brokkr.FakeKube.Selectors;

internal sealed class SelectorException(string message) : Exception(message);
