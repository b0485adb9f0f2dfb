package dev.ferry.core.model;

/**
 * What a monitor watches: one instance (optionally one of its flow configs), one customer's
 * instances, or everything (all null).
 */
public record MonitorScope(String instanceId, String flowConfigId, String customerId) {
    public static final MonitorScope EVERYTHING = new MonitorScope(null, null, null);

    public static MonitorScope instance(String instanceId) {
        return new MonitorScope(instanceId, null, null);
    }

    public static MonitorScope flowConfig(String instanceId, String flowConfigId) {
        return new MonitorScope(instanceId, flowConfigId, null);
    }

    public static MonitorScope customer(String customerId) {
        return new MonitorScope(null, null, customerId);
    }

    public boolean everything() {
        return instanceId == null && customerId == null;
    }

    /** Whether something of this instance (customer, flow config — null when not about one) is watched. */
    public boolean covers(String instanceId, String customerId, String flowConfigId) {
        if (this.instanceId != null) {
            if (!this.instanceId.equals(instanceId)) return false;
            return this.flowConfigId == null || this.flowConfigId.equals(flowConfigId);
        }
        if (this.customerId != null) return this.customerId.equals(customerId);
        return true;
    }

    /** Whether the instance as a whole is watched (its state, its removal): any flow config of it counts. */
    public boolean coversInstance(String instanceId, String customerId) {
        if (this.instanceId != null) return this.instanceId.equals(instanceId);
        if (this.customerId != null) return this.customerId.equals(customerId);
        return true;
    }
}
