import Autoscale
import Foundation

extension AutoscaleService {
    /// The recommenders' memory: the HPA controllers' recommendations and scale events, the
    /// forecasters' seasons, the resource policies' histograms, and the quota policies'
    /// stabilization windows.
    struct Checkpoint: Codable {
        var replicas: [String: HPAController] = [:]
        var forecasters: [String: SignalForecaster]? = nil
        var resources: [String: [String: ContainerHistory]] = [:]
        var quotas: [String: QuotaStabilizer] = [:]
    }

    var checkpoint: Checkpoint {
        Checkpoint(replicas: states.withLock { $0.mapValues(\.recommender.controller) },
                   forecasters: states.withLock { $0.mapValues(\.forecaster) },
                   resources: resourceRunners.withLock { $0.mapValues(\.histories) },
                   quotas: quotaRunners.withLock { $0.mapValues(\.stabilizer) })
    }

    /// Writes the checkpoint atomically next to the store (nothing for an in-memory store).
    public func writeCheckpoint() {
        guard let path = checkpointPath else { return }
        do {
            let data = try JSONEncoder().encode(checkpoint)
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            logger.warning("autoscaling: checkpoint not written", metadata: ["path": "\(path)", "error": "\(error)"])
        }
    }

    /// Restores what a previous run checkpointed, for the policies that still exist.
    func restoreCheckpoint() {
        guard let path = checkpointPath, FileManager.default.fileExists(atPath: path) else { return }
        let saved: Checkpoint
        do { saved = try JSONDecoder().decode(Checkpoint.self, from: Data(contentsOf: URL(fileURLWithPath: path))) } catch {
            logger.warning("autoscaling: checkpoint unreadable, starting without history", metadata: ["path": "\(path)", "error": "\(error)"])
            return
        }
        states.withLock { states in
            for (name, controller) in saved.replicas where states[name] != nil { states[name]!.recommender.controller = controller }
            for (name, forecaster) in saved.forecasters ?? [:] where states[name]?.forecaster.stepMs == forecaster.stepMs {
                states[name]!.forecaster = forecaster
            }
        }
        resourceRunners.withLock { runners in
            for (name, histories) in saved.resources where runners[name] != nil { runners[name]!.histories = histories }
        }
        quotaRunners.withLock { runners in
            for (name, stabilizer) in saved.quotas where runners[name] != nil {
                let policy = runners[name]!.policy
                var restored = stabilizer
                restored.windowMs = policy.stabilizationWindowMs
                restored.maxStep = policy.maxStep
                runners[name]!.stabilizer = restored
            }
        }
        logger.info("autoscaling: restored the recommenders' history", metadata: ["path": "\(path)"])
    }
}
