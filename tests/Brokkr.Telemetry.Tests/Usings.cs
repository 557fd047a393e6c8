namespace Brokkr.Telemetry.Tests;
