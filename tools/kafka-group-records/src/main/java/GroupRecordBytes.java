import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.coordinator.common.runtime.CoordinatorRecord;
import org.apache.kafka.coordinator.group.GroupCoordinatorRecordSerde;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupCurrentMemberAssignmentKey;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupCurrentMemberAssignmentValue;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupMemberMetadataKey;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupMemberMetadataValue;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupMetadataKey;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupMetadataValue;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupPartitionMetadataKey;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupPartitionMetadataValue;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupTargetAssignmentMemberKey;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupTargetAssignmentMemberValue;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupTargetAssignmentMetadataKey;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupTargetAssignmentMetadataValue;
import org.apache.kafka.server.common.ApiMessageAndVersion;

/**
 * Prints, as JSON, the bytes Kafka's own group coordinator serde (the one that writes __consumer_offsets) gives
 * KIP-848's consumer group records: key and value of each case, by name. kactor's codec test holds the same
 * records as TypeScript values and checks its bytes against these, both ways. Test tooling only.
 */
public final class GroupRecordBytes {
    private static final GroupCoordinatorRecordSerde SERDE = new GroupCoordinatorRecordSerde();
    private static final HexFormat HEX = HexFormat.of();
    private static final List<String> CASES = new ArrayList<>();

    // Topic ids chosen to cover both URL-safe base64 characters ('-' and '_') and a leading '_'.
    static final Uuid ORDERS = new Uuid(0x4f52444552532d31L, 0x8a3c1d2e4f5061fbL);
    static final Uuid CLICKS = new Uuid(0xffefbe0123456789L, 0x0fedcba987654321L);

    public static void main(String[] args) {
        // Type 3: the group epoch, with and without KIP-1101's metadata hash (a tagged field written when not 0).
        add("groupMetadata", false, new ConsumerGroupMetadataKey().setGroupId("g848"),
            new ConsumerGroupMetadataValue().setEpoch(42));
        add("groupMetadataWithHash", false, new ConsumerGroupMetadataKey().setGroupId("g848"),
            new ConsumerGroupMetadataValue().setEpoch(43).setMetadataHash(-6_149_109_133_839_217_664L));
        tombstone("groupMetadataTombstone", new ConsumerGroupMetadataKey().setGroupId("g848"));

        // Type 4: the subscribed topics' metadata (PartitionMetadata empty, as Kafka wrote it before 4.1).
        add("partitionMetadata", false, new ConsumerGroupPartitionMetadataKey().setGroupId("g848"),
            new ConsumerGroupPartitionMetadataValue().setTopics(List.of(
                new ConsumerGroupPartitionMetadataValue.TopicMetadata().setTopicId(ORDERS).setTopicName("orders").setNumPartitions(3),
                new ConsumerGroupPartitionMetadataValue.TopicMetadata().setTopicId(CLICKS).setTopicName("clicks").setNumPartitions(1))));
        // The deprecated racks per partition, which kactor reads past.
        add("partitionMetadataWithRacks", true, new ConsumerGroupPartitionMetadataKey().setGroupId("g848"),
            new ConsumerGroupPartitionMetadataValue().setTopics(List.of(
                new ConsumerGroupPartitionMetadataValue.TopicMetadata().setTopicId(ORDERS).setTopicName("orders").setNumPartitions(2)
                    .setPartitionMetadata(List.of(
                        new ConsumerGroupPartitionMetadataValue.PartitionMetadata().setPartition(0).setRacks(List.of("rack-a", "rack-b")),
                        new ConsumerGroupPartitionMetadataValue.PartitionMetadata().setPartition(1).setRacks(List.of()))))));

        // Type 5: a member's metadata, every nullable field set and every one null.
        add("memberMetadata", false, new ConsumerGroupMemberMetadataKey().setGroupId("g848").setMemberId("m-1"),
            new ConsumerGroupMemberMetadataValue().setInstanceId("static-1").setRackId("rack-a").setClientId("consumer-1")
                .setClientHost("/127.0.0.1").setSubscribedTopicNames(List.of("orders", "clicks")).setSubscribedTopicRegex(null)
                .setRebalanceTimeoutMs(300_000).setServerAssignor("uniform"));
        add("memberMetadataNulls", false, new ConsumerGroupMemberMetadataKey().setGroupId("gröup").setMemberId("m-ü"),
            new ConsumerGroupMemberMetadataValue().setInstanceId(null).setRackId(null).setClientId("").setClientHost("/::1")
                .setSubscribedTopicNames(List.of()).setSubscribedTopicRegex("orders-.*").setRebalanceTimeoutMs(-1).setServerAssignor(null));
        // A member that joined with the classic protocol (tagged field 0), which kactor reads past.
        add("memberMetadataClassic", true, new ConsumerGroupMemberMetadataKey().setGroupId("g848").setMemberId("m-2"),
            new ConsumerGroupMemberMetadataValue().setClientId("c").setClientHost("h").setSubscribedTopicNames(List.of("orders"))
                .setRebalanceTimeoutMs(60_000).setClassicMemberMetadata(new ConsumerGroupMemberMetadataValue.ClassicMemberMetadata()
                    .setSessionTimeoutMs(45_000).setSupportedProtocols(List.of(new ConsumerGroupMemberMetadataValue.ClassicProtocol()
                        .setName("range").setMetadata("sub".getBytes(StandardCharsets.UTF_8))))));
        tombstone("memberMetadataTombstone", new ConsumerGroupMemberMetadataKey().setGroupId("g848").setMemberId("m-1"));

        // Type 6: the target assignment's epoch, with and without KIP-1263's timestamp (tagged field 0).
        add("targetAssignmentMetadata", false, new ConsumerGroupTargetAssignmentMetadataKey().setGroupId("g848"),
            new ConsumerGroupTargetAssignmentMetadataValue().setAssignmentEpoch(42));
        add("targetAssignmentMetadataWithTimestamp", false, new ConsumerGroupTargetAssignmentMetadataKey().setGroupId("g848"),
            new ConsumerGroupTargetAssignmentMetadataValue().setAssignmentEpoch(44).setAssignmentTimestamp(1_700_000_000_123L));

        // Type 7: one member's target assignment.
        add("targetAssignmentMember", false, new ConsumerGroupTargetAssignmentMemberKey().setGroupId("g848").setMemberId("m-1"),
            new ConsumerGroupTargetAssignmentMemberValue().setTopicPartitions(List.of(
                new ConsumerGroupTargetAssignmentMemberValue.TopicPartition().setTopicId(ORDERS).setPartitions(List.of(0, 2)),
                new ConsumerGroupTargetAssignmentMemberValue.TopicPartition().setTopicId(CLICKS).setPartitions(List.of(0)))));
        add("targetAssignmentMemberEmpty", false, new ConsumerGroupTargetAssignmentMemberKey().setGroupId("g848").setMemberId("m-2"),
            new ConsumerGroupTargetAssignmentMemberValue().setTopicPartitions(List.of()));
        tombstone("targetAssignmentMemberTombstone", new ConsumerGroupTargetAssignmentMemberKey().setGroupId("g848").setMemberId("m-1"));

        // Type 8: a member's current assignment (state 1: UNREVOKED_PARTITIONS), and one with assignment epochs.
        add("currentMemberAssignment", false, new ConsumerGroupCurrentMemberAssignmentKey().setGroupId("g848").setMemberId("m-1"),
            new ConsumerGroupCurrentMemberAssignmentValue().setMemberEpoch(11).setPreviousMemberEpoch(10).setState((byte) 1)
                .setAssignedPartitions(List.of(
                    new ConsumerGroupCurrentMemberAssignmentValue.TopicPartitions().setTopicId(ORDERS).setPartitions(List.of(0, 1))))
                .setPartitionsPendingRevocation(List.of(
                    new ConsumerGroupCurrentMemberAssignmentValue.TopicPartitions().setTopicId(ORDERS).setPartitions(List.of(2)),
                    new ConsumerGroupCurrentMemberAssignmentValue.TopicPartitions().setTopicId(CLICKS).setPartitions(List.of(0)))));
        add("currentMemberAssignmentWithEpochs", true, new ConsumerGroupCurrentMemberAssignmentKey().setGroupId("g848").setMemberId("m-2"),
            new ConsumerGroupCurrentMemberAssignmentValue().setMemberEpoch(12).setPreviousMemberEpoch(11).setState((byte) 0)
                .setAssignedPartitions(List.of(
                    new ConsumerGroupCurrentMemberAssignmentValue.TopicPartitions().setTopicId(CLICKS).setPartitions(List.of(0))
                        .setAssignmentEpochs(List.of(12))))
                .setPartitionsPendingRevocation(List.of()));
        tombstone("currentMemberAssignmentTombstone", new ConsumerGroupCurrentMemberAssignmentKey().setGroupId("g848").setMemberId("m-1"));

        System.out.println("{");
        System.out.println("  \"source\": \"tools/kafka-group-records: GroupCoordinatorRecordSerde of org.apache.kafka:kafka-group-coordinator:4.4.0\",");
        System.out.println("  \"topicIds\": { \"orders\": \"" + ORDERS + "\", \"clicks\": \"" + CLICKS + "\" },");
        System.out.println("  \"cases\": {");
        System.out.println(String.join(",\n", CASES));
        System.out.println("  }");
        System.out.println("}");
    }

    /** `readOnly`: the value holds fields kactor does not keep, so only decoding it is compared. */
    private static void add(String name, boolean readOnly, ApiMessage key, ApiMessage value) {
        CoordinatorRecord record = CoordinatorRecord.record(key, new ApiMessageAndVersion(value, (short) 0));
        String keyHex = HEX.formatHex(SERDE.serializeKey(record));
        String valueHex = HEX.formatHex(SERDE.serializeValue(record));
        // Kafka reads back what it wrote: the fixture holds only bytes its own loader accepts.
        SERDE.deserialize(java.nio.ByteBuffer.wrap(SERDE.serializeKey(record)), java.nio.ByteBuffer.wrap(SERDE.serializeValue(record)));
        CASES.add("    \"" + name + "\": { \"key\": \"" + keyHex + "\", \"value\": \"" + valueHex + "\", \"readOnly\": " + readOnly + " }");
    }

    private static void tombstone(String name, ApiMessage key) {
        CoordinatorRecord record = CoordinatorRecord.tombstone(key);
        String keyHex = HEX.formatHex(SERDE.serializeKey(record));
        CASES.add("    \"" + name + "\": { \"key\": \"" + keyHex + "\", \"value\": null, \"readOnly\": false }");
    }
}
