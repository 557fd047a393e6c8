global using System.Net;
global using System.Text.Json.Nodes;
global using Brokkr.Templates.Tests.Support;
global using Brokkr.Testing;

namespace Brokkr.Templates.Tests;
