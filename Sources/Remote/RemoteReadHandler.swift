import Foundation
import SwiftProtobuf
import TSDB

/// `POST /api/v1/read`: answers a snappy-compressed `ReadRequest` as Prometheus does, with
/// whole `ReadResponse` samples (SAMPLES) or a stream of frames each holding one series and its
/// stored XOR chunks as they are (STREAMED_XOR_CHUNKS), negotiated from
/// `accepted_response_types` in request order.
public struct RemoteReadHandler: Sendable {
    public let querier: HeadQuerier
    public let externalLabels: [String: String]
    public var limits = Limits()

    /// Per-request limits; reaching one answers 400 with the limit named.
    public struct Limits: Sendable {
        public var maxSamples = 50_000_000
        public var maxSeries = 1_000_000
        public var maxFrameBytes = 1 << 20
        public var maxRequestBytes = 32 << 20
        public init() {}
    }

    public init(querier: HeadQuerier, externalLabels: [String: String]) {
        self.querier = querier
        self.externalLabels = externalLabels
    }

    public enum Response: Sendable {
        /// Snappy-compressed `ReadResponse`; `Content-Type: application/x-protobuf`, `Content-Encoding: snappy`.
        case samples([UInt8])
        /// Length-delimited, checksummed `ChunkedReadResponse` frames.
        case streamed([UInt8])
    }

    public static let samplesContentType = "application/x-protobuf"
    public static let streamedContentType = "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse"

    public func handle(body: [UInt8]) throws(RemoteWriteReceiver.Refusal) -> Response {
        let decoded: [UInt8]
        do { decoded = try Snappy.decompress(body, limit: limits.maxRequestBytes) } catch {
            throw .init(status: 400, message: error.description)
        }
        let request: Prometheus_ReadRequest
        do { request = try Prometheus_ReadRequest(serializedBytes: decoded) } catch {
            throw .init(status: 400, message: "cannot decode ReadRequest: \(error)")
        }
        switch try negotiate(request.acceptedResponseTypes) {
        case .streamedXorChunks: return .streamed(try streamed(request))
        default: return .samples(try samples(request))
        }
    }

    func negotiate(_ accepted: [Prometheus_ReadRequest.ResponseType]) throws(RemoteWriteReceiver.Refusal) -> Prometheus_ReadRequest.ResponseType {
        if accepted.isEmpty { return .samples }
        for type in accepted {
            switch type {
            case .samples, .streamedXorChunks: return type
            default: continue
            }
        }
        throw .init(status: 400, message: "server does not support any of the requested response types: \(accepted); supported: [SAMPLES STREAMED_XOR_CHUNKS]")
    }

    func matchers(_ query: Prometheus_Query) throws(RemoteWriteReceiver.Refusal) -> [LabelMatcher] {
        var out: [LabelMatcher] = []
        for m in query.matchers {
            let kind: LabelMatcher.Kind
            switch m.type {
            case .eq: kind = .equal
            case .neq: kind = .notEqual
            case .re: kind = .regexMatch
            case .nre: kind = .notRegexMatch
            default: throw .init(status: 400, message: "invalid matcher type \(m.type.rawValue)")
            }
            do { out.append(try LabelMatcher(kind, m.name, m.value)) } catch { throw .init(status: 400, message: "\(error)") }
        }
        return out
    }

    /// The series' labels with the external labels added where absent, sorted.
    func labelProtos(_ labels: Labels) -> [Prometheus_Label] {
        var pairs = labels.pairs.map { ($0.name, $0.value) }
        for (k, v) in externalLabels where labels[k] == nil { pairs.append((k, v)) }
        return pairs.sorted { $0.0 < $1.0 }.map { k, v in
            var l = Prometheus_Label()
            l.name = k
            l.value = v
            return l
        }
    }

    func samples(_ request: Prometheus_ReadRequest) throws(RemoteWriteReceiver.Refusal) -> [UInt8] {
        var response = Prometheus_ReadResponse()
        var total = 0
        var seriesCount = 0
        for query in request.queries {
            var result = Prometheus_QueryResult()
            for series in querier.select(try matchers(query), minTime: query.startTimestampMs, maxTime: query.endTimestampMs) {
                var ts = Prometheus_TimeSeries()
                ts.labels = labelProtos(series.labels)
                for s in series.samples() where s.t >= query.startTimestampMs && s.t <= query.endTimestampMs {
                    var sample = Prometheus_Sample()
                    sample.timestamp = s.t
                    sample.value = s.v
                    ts.samples.append(sample)
                }
                total += ts.samples.count
                seriesCount += 1
                if total > limits.maxSamples { throw .init(status: 400, message: "exceeded sample limit (\(limits.maxSamples))") }
                if seriesCount > limits.maxSeries { throw .init(status: 400, message: "exceeded series limit (\(limits.maxSeries))") }
                if !ts.samples.isEmpty { result.timeseries.append(ts) }
            }
            response.results.append(result)
        }
        do {
            return Snappy.compress(try response.serializedBytes() as [UInt8])
        } catch {
            throw .init(status: 500, message: "cannot encode ReadResponse: \(error)")
        }
    }

    func streamed(_ request: Prometheus_ReadRequest) throws(RemoteWriteReceiver.Refusal) -> [UInt8] {
        var out: [UInt8] = []
        var seriesCount = 0
        for (index, query) in request.queries.enumerated() {
            for series in querier.select(try matchers(query), minTime: query.startTimestampMs, maxTime: query.endTimestampMs) {
                seriesCount += 1
                if seriesCount > limits.maxSeries { throw .init(status: 400, message: "exceeded series limit (\(limits.maxSeries))") }
                let labels = labelProtos(series.labels)
                let labelBytes = labels.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 }
                var frame = Prometheus_ChunkedSeries()
                frame.labels = labels
                var frameBytes = labelBytes
                for chunk in series.chunks where chunk.maxTime >= query.startTimestampMs && chunk.minTime <= query.endTimestampMs {
                    // At most one series per frame; a series with many chunks spans several frames.
                    if !frame.chunks.isEmpty && frameBytes + chunk.bytes.count + 32 > limits.maxFrameBytes {
                        try appendFrame(frame, queryIndex: index, to: &out)
                        frame.chunks.removeAll()
                        frameBytes = labelBytes
                    }
                    var c = Prometheus_Chunk()
                    c.minTimeMs = chunk.minTime
                    c.maxTimeMs = chunk.maxTime
                    c.type = .xor
                    c.data = Data(chunk.bytes)
                    frame.chunks.append(c)
                    frameBytes += chunk.bytes.count + 32
                }
                if !frame.chunks.isEmpty { try appendFrame(frame, queryIndex: index, to: &out) }
            }
        }
        return out
    }

    /// One frame: uvarint length, big-endian CRC-32C of the message, the message.
    func appendFrame(_ series: Prometheus_ChunkedSeries, queryIndex: Int, to out: inout [UInt8]) throws(RemoteWriteReceiver.Refusal) {
        var message = Prometheus_ChunkedReadResponse()
        message.chunkedSeries = [series]
        message.queryIndex = Int64(queryIndex)
        let bytes: [UInt8]
        do { bytes = try message.serializedBytes() } catch { throw .init(status: 500, message: "cannot encode frame: \(error)") }
        var n = UInt64(bytes.count)
        while n >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: n) | 0x80)
            n >>= 7
        }
        out.append(UInt8(n))
        let crc = CRC32C.checksum(bytes)
        out.append(contentsOf: [UInt8(crc >> 24), UInt8(truncatingIfNeeded: crc >> 16), UInt8(truncatingIfNeeded: crc >> 8), UInt8(truncatingIfNeeded: crc)])
        out.append(contentsOf: bytes)
    }
}
