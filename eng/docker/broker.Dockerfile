# The broker image (eng/charts/brokkr-broker). Build from the repository root:
#   docker build -f eng/docker/broker.Dockerfile -t brokkr/brokkr-broker:0.1.0 .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish Host/Brokkr.Host/Brokkr.Host.csproj -c Release -o /out --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /out .
ENV ASPNETCORE_URLS=http://0.0.0.0:3000
EXPOSE 3000
USER $APP_UID
ENTRYPOINT ["dotnet", "Brokkr.Host.dll"]
CMD ["serve"]
