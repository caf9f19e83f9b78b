// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "ghc-api",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ghc-api", targets: ["ghc-api"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // Only the micro-benchmarks (`scripts/micro-benchmark`) use it; the malloc interposer counts their allocations.
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "ghc-api",
            dependencies: ["GHCCLI"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ghc-build-info",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "GHCMicroBenchmarks",
            dependencies: ["GHCCore", "GHCStore", "GHCTranslation", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/GHCMicroBenchmarks",
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .plugin(
            name: "BuildInfoPlugin",
            capability: .buildTool(),
            dependencies: ["ghc-build-info"]
        ),
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(name: "CConcurrencyHook"),
        .target(
            name: "GHCCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GHCUpstream",
            dependencies: [
                "GHCCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GHCStandIn",
            dependencies: [
                "GHCCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GHCTestSupport",
            dependencies: ["GHCCore"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GHCStore",
            dependencies: [
                "GHCCore", "CZlib", .product(name: "SQLiteNIO", package: "sqlite-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GHCSync",
            dependencies: ["GHCCore"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GHCAgent",
            dependencies: [
                "GHCCore",
                "GHCStore",
                "GHCSync",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GHCAgentSetup",
            dependencies: [
                "GHCCore",
                "GHCSync",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ghc-fake-agent",
            dependencies: ["GHCCore"],
            path: "Tests/FakeAgent",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GHCKeys",
            dependencies: ["GHCCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GHCUsage",
            dependencies: ["GHCCore", "GHCSync"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GHCHTTP",
            dependencies: ["GHCCore", .product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GHCTranslation",
            dependencies: ["GHCCore"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GHCProxy",
            dependencies: [
                "GHCCore",
                "GHCUsage",
                "GHCHTTP",
                "GHCUpstream",
                "GHCTranslation",
                "GHCStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GHCDashboard",
            dependencies: [
                "GHCKeys",
                "GHCAgentSetup",
                "GHCAgent",
                "GHCCore",
                "GHCUsage",
                "GHCStore",
                "GHCSync",
                "GHCHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["Assets"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GHCServer",
            dependencies: [
                "GHCKeys",
                "GHCAgent",
                "GHCCore",
                "GHCUsage",
                "GHCSync",
                "GHCHTTP",
                "GHCUpstream",
                "GHCProxy",
                "GHCStore",
                "GHCDashboard",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GHCCLI",
            dependencies: [
                "CConcurrencyHook",
                "GHCKeys",
                "GHCAgentSetup",
                "GHCAgent",
                "GHCCore",
                "GHCUsage",
                "GHCSync",
                "GHCUpstream",
                "GHCProxy",
                "GHCStore",
                "GHCServer",
                "GHCStandIn",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            swiftSettings: swiftSettings,
            plugins: ["BuildInfoPlugin"]
        ),
        .testTarget(
            name: "GHCCoreTests",
            dependencies: ["GHCCore", "GHCTestSupport", "GHCStandIn", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GHCStoreTests",
            dependencies: ["GHCStore", "GHCCore", "GHCTestSupport", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GHCAgentSetupTests",
            dependencies: ["GHCAgentSetup", "GHCCore", "GHCTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GHCAgentTests",
            dependencies: ["GHCAgent", "GHCCore", "GHCTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GHCSyncTests",
            dependencies: ["GHCSync", "GHCCore", "GHCTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GHCKeysTests",
            dependencies: ["GHCKeys", "GHCCore", "GHCTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GHCUsageTests",
            dependencies: ["GHCUsage", "GHCCore", "GHCUpstream", "GHCTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GHCTranslationTests",
            dependencies: ["GHCTranslation", "GHCCore"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GHCUpstreamTests",
            dependencies: [
                "GHCUpstream", "GHCTestSupport", "GHCStandIn", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GHCServerTests",
            dependencies: [
                "GHCServer", "GHCProxy", "GHCTestSupport", "GHCStandIn", "GHCDashboard",
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GHCProxyTests",
            dependencies: [
                "GHCServer", "GHCProxy", "GHCStandIn", "GHCCore", "GHCUpstream",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GHCCLITests",
            dependencies: ["GHCCLI", "GHCTestSupport", "GHCStandIn"],
            swiftSettings: swiftSettings
        ),
    ]
)
