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
        .library(name: "Scrape", targets: ["Scrape"]),
        .library(name: "ScalewatchApp", targets: ["ScalewatchApp"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        .target(name: "Exposition"),
        .target(name: "TSDB", dependencies: [.product(name: "Logging", package: "swift-log")]),
        .target(name: "Scrape", dependencies: ["Exposition", "TSDB"]),
        .target(
            name: "ScalewatchApp",
            dependencies: [
                "Exposition", "TSDB", "Scrape",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "scalewatch",
            dependencies: [
                "ScalewatchApp",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "TestSupport", dependencies: ["Exposition", "TSDB"], path: "Tests/TestSupport"),
        .testTarget(name: "ExpositionTests", dependencies: ["Exposition", "TestSupport"]),
        .testTarget(name: "TSDBTests", dependencies: ["TSDB", "TestSupport"]),
        .testTarget(name: "ScrapeTests", dependencies: ["Scrape", "TSDB", "Exposition", "TestSupport"]),
        .testTarget(name: "ScalewatchAppTests", dependencies: ["ScalewatchApp", "Exposition", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
