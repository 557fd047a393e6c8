namespace Brokkr.WorkOrders.Tests;
