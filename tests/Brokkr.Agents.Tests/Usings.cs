namespace Brokkr.Agents.Tests;
