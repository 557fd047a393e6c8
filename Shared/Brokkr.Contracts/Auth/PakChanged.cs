using Mediator;

namespace Brokkr.Contracts.Auth;

public enum PakOwnerKind
{
    Admin,
    Agent,
    Generator,
}

/// <summary>
/// A PAK was rotated or its owner deleted: every broker drops the cached identity at once.
/// Published inside the changing transaction.
/// </summary>
public sealed record PakChanged(PakOwnerKind Kind, Guid? OwnerId) : INotification;
