global using System.Net;
global using System.Text.Json.Nodes;
global using Brokkr.Testing;

namespace Brokkr.WorkOrders.Tests;
