namespace Brokkr.Templates.Tests;
