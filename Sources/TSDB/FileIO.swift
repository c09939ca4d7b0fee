#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed file operation: which file, what was attempted, and the system's reason.
public struct StorageError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var reason: String

    public var description: String { "\(operation) \(path): \(reason)" }

    static func errno(_ path: String, _ operation: String) -> StorageError {
        StorageError(path: path, operation: operation, reason: String(cString: strerror(Glibc.errno)))
    }
}

/// The handful of POSIX file calls the store needs, with errors that name the file.
enum FileIO {
    static func makeDirectory(_ path: String) throws(StorageError) {
        var built = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            built += "/" + part
            if mkdir(built, 0o755) != 0 && Glibc.errno != EEXIST {
                throw .errno(built, "create directory")
            }
        }
    }

    static func readAll(_ path: String) throws(StorageError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .errno(path, "open") }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if Glibc.errno == EINTR { continue }
                throw .errno(path, "read")
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    static func openForAppend(_ path: String) throws(StorageError) -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .errno(path, "open") }
        return fd
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(StorageError) {
        let failure: Int32? = bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if Glibc.errno == EINTR { continue }
                    return Glibc.errno
                }
                offset += n
            }
            return nil
        }
        if let failure {
            throw StorageError(path: path, operation: "write", reason: String(cString: strerror(failure)))
        }
    }

    static func writeFileAtomically(_ path: String, _ bytes: [UInt8]) throws(StorageError) {
        let tmp = path + ".tmp"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .errno(tmp, "create") }
        do throws(StorageError) {
            try writeAll(fd, bytes, path: tmp)
        } catch {
            close(fd)
            throw error
        }
        guard fsync(fd) == 0 else { close(fd); throw .errno(tmp, "fsync") }
        close(fd)
        guard rename(tmp, path) == 0 else { throw .errno(path, "rename") }
        syncDirectory(of: path)
    }

    static func syncDirectory(of path: String) {
        let dir = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let fd = open(dir.isEmpty ? "." : dir, O_RDONLY)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }

    static func truncate(_ path: String, to length: Int) throws(StorageError) {
        guard Glibc.truncate(path, off_t(length)) == 0 else { throw .errno(path, "truncate") }
    }

    /// The file's size in bytes, 0 when it cannot be read.
    static func size(_ path: String) -> Int {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : 0
    }

    static func remove(_ path: String) {
        unlink(path)
    }

    static func list(_ directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}
