using Mediator;

namespace Brokkr.Contracts.Generators;

/// <summary>Creates or updates the <c>admin-generator</c> that carries the admin PAK hash, as in the reference.</summary>
public sealed record LinkAdminGenerator(string PakHash) : ICommand;
