global using System.Net;
global using System.Text.Json.Nodes;
global using Brokkr.Testing;
global using Brokkr.Testing.Support;

namespace Brokkr.Audit.Tests;
