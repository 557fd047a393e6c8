# The agent image (eng/charts/brokkr-agent). Build from the repository root:
#   docker build -f eng/docker/agent.Dockerfile -t brokkr/brokkr-agent:0.1.0 .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish Agent/Brokkr.Agent/Brokkr.Agent.csproj -c Release -o /out --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /out .
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["dotnet", "Brokkr.Agent.dll"]
