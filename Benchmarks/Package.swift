// swift-tools-version:6.1
import PackageDescription

// Benchmarks live apart so the product never depends on the benchmark library.
// Run: cd Benchmarks && swift package benchmark
let package = Package(
    name: "ScalewatchBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "scalewatch", path: ".."),
        .package(url: "https://github.com/ordo-one/package-benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
    ],
    targets: [
        .executableTarget(
            name: "ScalewatchBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "Exposition", package: "scalewatch"),
                .product(name: "TSDB", package: "scalewatch"),
                .product(name: "Scrape", package: "scalewatch"),
                .product(name: "Remote", package: "scalewatch"),
                .product(name: "PromQL", package: "scalewatch"),
                .product(name: "Autoscale", package: "scalewatch"),
                .product(name: "ScalewatchApp", package: "scalewatch"),
                .product(name: "Simulator", package: "scalewatch"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            path: "Benchmarks/ScalewatchBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
