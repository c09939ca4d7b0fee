import Foundation

/// A program started by a test: its stdout lines are collected, `waitForLine` finds the one
/// a server prints once it listens, and `stop()` sends SIGTERM and waits (SIGKILL after 10 s).
public final class ChildProcess: @unchecked Sendable {
    public let process = Process()
    private let lock = NSLock()
    private var lines: [String] = []
    private var partial = ""

    public init(_ executable: String, _ arguments: [String], directory: String? = nil) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        out.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.lock()
            self.partial += String(decoding: data, as: UTF8.self)
            while let newline = self.partial.firstIndex(of: "\n") {
                self.lines.append(String(self.partial[..<newline]))
                self.partial = String(self.partial[self.partial.index(after: newline)...])
            }
            self.lock.unlock()
        }
        try process.run()
    }

    public var output: [String] {
        lock.lock()
        defer { lock.unlock() }
        return lines
    }

    /// The first output line containing `text`, waiting up to `seconds`.
    public func waitForLine(containing text: String, seconds: Double = 30) async -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let line = output.first(where: { $0.contains(text) }) { return line }
            if !process.isRunning { return output.first(where: { $0.contains(text) }) }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    /// Waits for the program to exit on its own; its status, or nil if it still runs after `seconds`.
    public func exitStatus(within seconds: Double) async -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { return nil }
        // Let the pipe deliver the last lines.
        try? await Task.sleep(for: .milliseconds(200))
        return process.terminationStatus
    }

    public func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// SIGTERM, then the exit status (SIGKILL after 10 s if it hangs).
    @discardableResult
    public func stop() async -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        signal(SIGTERM)
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning {
            signal(SIGKILL)
            process.waitUntilExit()
            return -9
        }
        return process.terminationStatus
    }

    /// The URL in a line like `… listening on http://127.0.0.1:PORT …`.
    public static func url(in line: String) -> String? {
        guard let start = line.range(of: "http://") else { return nil }
        return String(line[start.lowerBound...].prefix { !$0.isWhitespace && $0 != ")" })
    }
}

/// A TCP port that was free a moment ago on 127.0.0.1 (for peers that cannot take port 0).
public func freeLoopbackPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
    return Int(UInt16(bigEndian: addr.sin_port))
}

/// The `scalewatch` executable built by `swift build --build-tests` (debug).
public var scalewatchExecutable: String {
    Fixtures.packageRoot.appendingPathComponent(".build/debug/scalewatch").path
}
