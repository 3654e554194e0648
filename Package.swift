// swift-tools-version:6.0
import PackageDescription

/// Strict concurrency is the default in the Swift 6 language mode; warnings are
/// treated as a defect (CI builds with `-warnings-as-errors`).
let package = Package(
    name: "Purser",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Purser", targets: ["Purser"]),
        .library(name: "PurserTools", targets: ["PurserTools"]),
        .library(name: "Workflows", targets: ["Workflows"]),
        .library(name: "PurserConfig", targets: ["PurserConfig"]),
        .executable(name: "purser", targets: ["purser"]),
        .library(name: "PurserTokenizer", targets: ["PurserTokenizer"]),
        .executable(name: "purser-bench", targets: ["PurserBenchmarks"]),
        .executable(name: "purser-tokenizer-bench", targets: ["TokenizerBenchmarks"]),
        .executable(name: "purser-routing-bench", targets: ["RoutingBenchmarks"]),
        .library(name: "PurserSQLite", targets: ["PurserSQLite"]),
        .executable(name: "purser-ledger-bench", targets: ["LedgerBenchmarks"]),
        .library(name: "PurserServer", targets: ["PurserServer"]),
        .library(name: "PurserClient", targets: ["PurserClient"]),
        .library(name: "PurserHTTP", targets: ["PurserHTTP"]),
        .executable(name: "purser-server-bench", targets: ["ServerBenchmarks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // The core: DSL, graph, engine, protocols, in-memory stores, simulator. No dependencies, no I/O.
        .target(name: "Purser", path: "Sources/Purser"),
        // Exact byte-pair encoding for tiktoken-format vocabularies; no dependencies, ranks shipped as resources.
        .target(
            name: "PurserTokenizer",
            path: "Sources/PurserTokenizer",
            resources: [.copy("Resources/cl100k_base.tiktoken"), .copy("Resources/o200k_base.tiktoken")]
        ),
        // Built-in tools agents may call (these do I/O: files, clock, HTTP).
        .target(name: "PurserTools", dependencies: ["Purser"], path: "Tools"),
        // Example workflows, compiled in.
        .target(
            name: "Workflows",
            dependencies: ["Purser", "PurserTools"],
            path: "Workflows",
            resources: [.copy("KnowledgeBase")]
        ),
        // purser.yaml (YAML, read with line numbers) and the LiteLLM price-map importer.
        .target(
            name: "PurserConfig",
            dependencies: [
                "Purser", .product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/PurserConfig"
        ),
        // The CLI's commands, as a library so tests can drive them.
        .target(
            name: "PurserCLI",
            dependencies: [
                "Purser", "PurserConfig", "PurserSQLite", "PurserTools", "PurserTokenizer", "Workflows",
                "PurserServer", "PurserClient", "PurserHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Sources/PurserCLI"
        ),
        // `purser serve`: the socket API (Hummingbird) over the engine and the SQLite ledger,
        // under service lifecycle, with Prometheus metrics.
        .target(
            name: "PurserServer",
            dependencies: [
                "Purser", "PurserConfig", "PurserSQLite", "PurserTools", "Workflows",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Sources/PurserServer",
            resources: [.copy("Resources/openapi.json")]
        ),
        // A client of the socket API (async-http-client over the Unix socket): the CLI, the
        // tests and the benchmark use it.
        .target(
            name: "PurserClient",
            dependencies: [
                "Purser", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Sources/PurserClient"
        ),
        // Real model providers over HTTP: OpenAI-compatible chat completions and Anthropic's
        // Messages API (async-http-client), with the tokenizer for usage a provider leaves out.
        .target(
            name: "PurserHTTP",
            dependencies: [
                "Purser", "PurserTokenizer", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Sources/PurserHTTP"
        ),
        .executableTarget(name: "purser", dependencies: ["PurserCLI"], path: "Sources/purser"),
        // Shared test fixtures: virtual clock, scripted provider, temporary directories.
        .target(name: "PurserTestKit", dependencies: ["Purser"], path: "Sources/PurserTestKit"),
        .executableTarget(
            name: "PurserBenchmarks",
            dependencies: ["Purser"],
            path: "Benchmarks/Engine"
        ),
        .executableTarget(
            name: "TokenizerBenchmarks",
            dependencies: ["PurserTokenizer"],
            path: "Benchmarks/Tokenizer",
            exclude: ["reference_tokenizer.py"]
        ),
        .executableTarget(
            name: "RoutingBenchmarks",
            dependencies: ["Purser", "PurserConfig"],
            path: "Benchmarks/Routing"
        ),
        // The durable ledger, budgets with their audit log, and runs, in one SQLite file (GRDB).
        .target(
            name: "PurserSQLite",
            dependencies: ["Purser", "PurserSQLiteLog", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Sources/PurserSQLite"
        ),
        // SQLite's default file layer, with each commit's write-ahead-log frames written at once.
        .target(
            name: "PurserSQLiteLog",
            path: "Sources/PurserSQLiteLog",
            linkerSettings: [.linkedLibrary("sqlite3")]
        ),
        .executableTarget(
            name: "LedgerBenchmarks",
            dependencies: ["Purser", "PurserSQLite"],
            path: "Benchmarks/Ledger"
        ),
        .executableTarget(
            name: "ServerBenchmarks",
            dependencies: [
                "PurserServer", "PurserClient", "Purser", "PurserConfig", "PurserSQLite", "PurserTestKit", "Workflows",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/Server"
        ),
        .testTarget(name: "PurserTests", dependencies: ["Purser", "PurserTestKit"]),
        .testTarget(
            name: "PurserServerTests",
            dependencies: ["PurserServer", "PurserClient", "PurserSQLite", "PurserConfig", "PurserTestKit", "Workflows"],
            resources: [.copy("validate_openapi.py")]
        ),
        .testTarget(name: "PurserHTTPTests", dependencies: ["PurserHTTP", "Purser", "PurserSQLite", "PurserTestKit"]),
        .testTarget(name: "PurserSQLiteTests", dependencies: ["PurserSQLite", "Purser", "PurserTestKit"]),
        .testTarget(name: "PurserTokenizerTests", dependencies: ["PurserTokenizer"]),
        .testTarget(name: "PurserToolsTests", dependencies: ["PurserTools", "PurserTestKit"]),
        .testTarget(name: "WorkflowsTests", dependencies: ["Workflows", "PurserTools", "PurserTestKit"]),
        .testTarget(name: "PurserCLITests", dependencies: ["PurserCLI", "PurserSQLite", "PurserTestKit"]),
        .testTarget(name: "PurserConfigTests", dependencies: ["PurserConfig", "PurserTestKit"]),
    ]
)
