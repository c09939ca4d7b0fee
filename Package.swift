// swift-tools-version:6.1
import PackageDescription

// Every dependency Scalewatch will use is chosen here, once (see DEVELOPERS.md).
// A dependency is named only by the targets that use it, so a module never builds what it does not need.
let package = Package(
    name: "scalewatch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "scalewatch", targets: ["scalewatch"]),
        .library(name: "Exposition", targets: ["Exposition"]),
        .library(name: "TSDB", targets: ["TSDB"]),
        .library(name: "ConfigSupport", targets: ["ConfigSupport"]),
        .library(name: "Scrape", targets: ["Scrape"]),
        .library(name: "PromQL", targets: ["PromQL"]),
        .library(name: "Rules", targets: ["Rules"]),
        .library(name: "Notify", targets: ["Notify"]),
        .library(name: "Autoscale", targets: ["Autoscale"]),
        .library(name: "Simulator", targets: ["Simulator"]),
        .library(name: "Remote", targets: ["Remote"]),
        .library(name: "Server", targets: ["Server"]),
        .library(name: "ScalewatchApp", targets: ["ScalewatchApp"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
    ],
    targets: [
        .target(name: "Exposition"),
        .target(name: "TSDB", dependencies: [.product(name: "Logging", package: "swift-log")]),
        .target(name: "ConfigSupport", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(
            name: "Scrape",
            dependencies: [
                "Exposition", "TSDB", "ConfigSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .target(name: "PromQL", dependencies: ["TSDB"]),
        .target(name: "Autoscale", dependencies: ["PromQL"]),
        .target(
            name: "Notify",
            dependencies: [
                "ConfigSupport", "PromQL",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "Rules",
            dependencies: [
                "PromQL", "TSDB", "ConfigSupport", "Notify",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(name: "Simulator", dependencies: ["Exposition"]),
        .target(
            name: "Remote",
            dependencies: [
                "TSDB", "ConfigSupport", "Scrape",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            exclude: ["Proto/remote.proto"]
        ),
        .target(
            name: "Server",
            dependencies: [
                "Exposition", "TSDB", "PromQL", "Rules", "Scrape", "Remote", "Simulator", "CZlib",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .target(
            name: "ScalewatchApp",
            dependencies: [
                "Exposition", "TSDB", "ConfigSupport", "Scrape", "Remote", "Simulator", "Server", "PromQL", "Rules", "Notify", "Autoscale",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .executableTarget(
            name: "scalewatch",
            dependencies: [
                "ScalewatchApp", "Scrape", "Server", "Simulator", "TSDB",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .target(
            name: "TestSupport",
            dependencies: [
                "Exposition", "TSDB",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "AutoscaleTests", dependencies: ["Autoscale"]),
        .testTarget(
            name: "NotifyTests",
            dependencies: [
                "Notify", "ConfigSupport", "TestSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .testTarget(
            name: "RulesTests",
            dependencies: ["Rules", "PromQL", "TSDB", "ConfigSupport", "TestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "ExpositionTests", dependencies: ["Exposition", "TestSupport"]),
        .testTarget(name: "TSDBTests", dependencies: ["TSDB", "TestSupport"]),
        .testTarget(
            name: "ScrapeTests",
            dependencies: [
                "Scrape", "TSDB", "Exposition", "ConfigSupport", "Server", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "PromQLTests", dependencies: ["PromQL", "TSDB", "TestSupport"]),
        .testTarget(
            name: "RemoteTests",
            dependencies: [
                "Remote", "TSDB", "ConfigSupport", "Scrape", "TestSupport",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .testTarget(name: "SimulatorTests", dependencies: ["Simulator", "Exposition", "TestSupport"]),
        .testTarget(
            name: "ScalewatchAppTests",
            dependencies: [
                "ScalewatchApp", "Server", "Scrape", "Simulator", "Exposition", "TSDB", "Remote", "Rules", "Notify", "TestSupport",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
