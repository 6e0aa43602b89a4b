# Thanos Bridge container image: a small non-root runtime; librdkafka comes with the application (librdkafka.redist).
# Untested on this project's machines (no Docker engine); see README "Docker".

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# global.json is left out on purpose: it pins the SDK feature band of the development machines (10.0.4xx),
# which the sdk:10.0 image need not carry; the build needs only a .NET 10 SDK.
COPY Directory.Build.props Directory.Packages.props BannedSymbols.txt .editorconfig ThanosBridge.slnx ./
COPY src/ src/
# For linux-x64, so that the assemblies are precompiled (ReadyToRun, see src/ThanosBridge/ThanosBridge.csproj).
RUN dotnet restore src/ThanosBridge/ThanosBridge.csproj -r linux-x64 \
 && dotnet publish src/ThanosBridge/ThanosBridge.csproj -c Release -r linux-x64 --self-contained false -o /app \
      --no-restore /p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_HTTP_PORTS="" \
    DOTNET_gcServer=0
# APP_UID (1654) is the non-root user the .NET images define.
USER $APP_UID
# 8080: /healthz and /readyz; 9090: /metrics.
EXPOSE 8080 9090
ENTRYPOINT ["dotnet", "ThanosBridge.dll"]
CMD ["serve"]
