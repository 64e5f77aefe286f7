import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.coordinator.group.api.assignor.ConsumerGroupPartitionAssignor;
import org.apache.kafka.coordinator.group.api.assignor.GroupAssignment;
import org.apache.kafka.coordinator.group.api.assignor.MemberAssignment;
import org.apache.kafka.coordinator.group.api.assignor.SubscribedTopicDescriber;
import org.apache.kafka.coordinator.group.api.assignor.SubscriptionType;
import org.apache.kafka.coordinator.group.assignor.RangeAssignor;
import org.apache.kafka.coordinator.group.assignor.UniformAssignor;
import org.apache.kafka.coordinator.group.modern.Assignment;
import org.apache.kafka.coordinator.group.modern.GroupSpecImpl;
import org.apache.kafka.coordinator.group.modern.MemberSubscriptionAndAssignmentImpl;

/**
 * Seeded random consumer groups assigned by Kafka 4.4.0's own server-side assignors (uniform, range), printed as
 * the JSON fixture kactor's differential test reads. Members are passed in the order listed (a LinkedHashMap), each
 * member's subscription, topics and partitions in the order listed (LinkedHashSet / LinkedHashMap), so every order
 * Kafka's builders walk is the order the fixture records. Current assignments are empty (a first assignment),
 * random, or uniform's own earlier answer for a group that has since changed (members joined and left, partitions
 * added), to exercise stickiness.
 */
public class ServerAssignorFixture {
    static final int FIRST_SEED = 9000;
    static final int CASES = 120;

    record Member(String id, String instanceId, List<Uuid> topics, LinkedHashMap<Uuid, List<Integer>> assigned) {}

    public static void main(String[] args) {
        StringBuilder out = new StringBuilder();
        out.append("{\n  \"source\": \"Apache Kafka kafka-group-coordinator 4.4.0 (Maven Central): UniformAssignor and RangeAssignor")
            .append(" through assign(GroupSpecImpl, SubscribedTopicDescriber), run on seeded random groups by")
            .append(" tools/kafka-server-assignors (java.util.Random seeds ").append(FIRST_SEED).append('-').append(FIRST_SEED + CASES - 1)
            .append(", and seed -1: a chain of overlapping subscriptions past the heterogeneous builder's 16 balancing rounds). members: in GroupSpec order, each with its subscribed topic ids and current assignment in the order Kafka")
            .append(" iterated them; uniform/range: member -> topic id -> partitions (ascending; members with nothing are {}).\",\n  \"cases\": [\n");
        for (int c = 0; c < CASES; c++) {
            if (c > 0) out.append(",\n");
            out.append(caseJson(FIRST_SEED + c));
        }
        out.append(",\n").append(chainCase());
        out.append("\n  ]\n}\n");
        System.out.print(out);
    }

    static String caseJson(int seed) {
        Random random = new Random(seed);
        boolean large = seed % 10 == 9;
        boolean heterogeneous = random.nextBoolean();
        int topicCount = large ? 5 + random.nextInt(16) : 1 + random.nextInt(6);
        int memberCount = large ? 10 + random.nextInt(51) : 1 + random.nextInt(8);
        int maxPartitions = large ? 40 : 12;
        Map<Uuid, Integer> partitions = new LinkedHashMap<>();
        while (partitions.size() < topicCount) partitions.put(new Uuid(random.nextLong(), random.nextLong()), 1 + random.nextInt(maxPartitions));
        List<Uuid> topicIds = new ArrayList<>(partitions.keySet());

        List<Uuid> shared = randomSubset(random, topicIds, false);
        Set<String> instanceIds = new TreeSet<>();
        List<Member> members = new ArrayList<>();
        Set<String> memberIds = new TreeSet<>();
        while (members.size() < memberCount) {
            String id = random.nextBoolean() ? "member-" + random.nextInt(1000) : new Uuid(random.nextLong(), random.nextLong()).toString();
            if (!memberIds.add(id)) continue;
            String instanceId = null;
            if (random.nextInt(10) < 3) {
                instanceId = "instance-" + random.nextInt(100);
                if (!instanceIds.add(instanceId)) instanceId = null;
            }
            List<Uuid> topics = heterogeneous ? randomSubset(random, topicIds, random.nextInt(10) == 0) : shuffled(random, shared);
            members.add(new Member(id, instanceId, topics, new LinkedHashMap<>()));
        }

        int mode = random.nextInt(3);
        if (mode == 1) randomAssignment(random, members, partitions);
        if (mode == 2) earlierAnswer(random, members, partitions);
        return printCase(seed, partitions, members);
    }

    /**
     * A chain the heterogeneous builder cannot balance in its 16 rounds (MAX_ITERATION_COUNT): member i subscribes to
     * topics i and i + 1, and the last subscriber of every topic holds all of it. Seed -1 in the fixture.
     */
    static String chainCase() {
        int[] counts = {41, 60, 33, 47, 34, 38, 28, 15, 16, 43, 1, 52, 24, 13, 59, 4, 10, 36, 29, 32, 36, 34, 35, 54, 52, 43, 1};
        Map<Uuid, Integer> partitions = new LinkedHashMap<>();
        List<Uuid> topicIds = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            Uuid topicId = new Uuid(1, i + 1);
            topicIds.add(topicId);
            partitions.put(topicId, counts[i]);
        }
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < counts.length - 1; i++) {
            members.add(new Member(String.format("m%03d", i), null, List.of(topicIds.get(i), topicIds.get(i + 1)), new LinkedHashMap<>()));
        }
        for (int i = 0; i < counts.length; i++) {
            Member last = members.get(Math.min(i, members.size() - 1));
            last.assigned().put(topicIds.get(i), range(counts[i]));
        }
        return printCase(-1, partitions, members);
    }

    static String printCase(int seed, Map<Uuid, Integer> partitions, List<Member> members) {
        StringBuilder json = new StringBuilder();
        json.append("    {\"seed\": ").append(seed).append(", \"subscriptionType\": \"").append(subscriptionType(members)).append("\", \"topics\": {");
        String separator = "";
        for (Map.Entry<Uuid, Integer> topic : partitions.entrySet()) {
            json.append(separator).append('"').append(topic.getKey()).append("\": ").append(topic.getValue());
            separator = ", ";
        }
        json.append("},\n      \"members\": [");
        separator = "";
        for (Member member : members) {
            json.append(separator).append("\n        {\"memberId\": \"").append(member.id()).append("\", \"instanceId\": ")
                .append(member.instanceId() == null ? "null" : "\"" + member.instanceId() + "\"").append(", \"topics\": [");
            String inner = "";
            for (Uuid topic : member.topics()) {
                json.append(inner).append('"').append(topic).append('"');
                inner = ", ";
            }
            json.append("], \"assigned\": [");
            inner = "";
            for (Map.Entry<Uuid, List<Integer>> entry : member.assigned().entrySet()) {
                json.append(inner).append("[\"").append(entry.getKey()).append("\", ").append(entry.getValue()).append(']');
                inner = ", ";
            }
            json.append("]}");
            separator = ",";
        }
        json.append("\n      ],\n      \"uniform\": ").append(assignmentJson(members, assign(new UniformAssignor(), members, partitions)));
        json.append(",\n      \"range\": ").append(assignmentJson(members, assign(new RangeAssignor(), members, partitions))).append("}");
        return json.toString();
    }

    static <T> List<T> shuffled(Random random, List<T> items) {
        List<T> copy = new ArrayList<>(items);
        Collections.shuffle(copy, random);
        return copy;
    }

    static List<Uuid> randomSubset(Random random, List<Uuid> topics, boolean mayBeEmpty) {
        List<Uuid> subset = new ArrayList<>();
        for (Uuid topic : shuffled(random, topics)) if (random.nextBoolean()) subset.add(topic);
        if (subset.isEmpty() && !mayBeEmpty) subset.add(topics.get(random.nextInt(topics.size())));
        return subset;
    }

    static String subscriptionType(List<Member> members) {
        Set<Uuid> first = new TreeSet<>(members.get(0).topics());
        for (Member member : members) if (!new TreeSet<>(member.topics()).equals(first)) return "HETEROGENEOUS";
        return "HOMOGENEOUS";
    }

    /** Each partition of every topic, held by a random member or by nobody (subscribed or not: revocation is tested too). */
    static void randomAssignment(Random random, List<Member> members, Map<Uuid, Integer> partitions) {
        for (Uuid topic : shuffled(random, new ArrayList<>(partitions.keySet()))) {
            for (int partition : shuffled(random, range(partitions.get(topic)))) {
                if (random.nextInt(4) == 0) continue;
                Member owner = members.get(random.nextInt(members.size()));
                owner.assigned().computeIfAbsent(topic, __ -> new ArrayList<>()).add(partition);
            }
        }
    }

    /** Uniform's answer for the group as it was: two members fewer, two gone since, some partitions fewer. */
    static void earlierAnswer(Random random, List<Member> members, Map<Uuid, Integer> partitions) {
        List<Member> earlier = new ArrayList<>();
        for (Member member : members) if (random.nextInt(5) != 0) earlier.add(new Member(member.id(), member.instanceId(), member.topics(), new LinkedHashMap<>()));
        for (int gone = 0; gone < 2; gone++) earlier.add(new Member("departed-" + gone, null, members.get(random.nextInt(members.size())).topics(), new LinkedHashMap<>()));
        Map<Uuid, Integer> earlierPartitions = new LinkedHashMap<>();
        for (Map.Entry<Uuid, Integer> topic : partitions.entrySet()) earlierPartitions.put(topic.getKey(), Math.max(1, topic.getValue() - random.nextInt(3)));
        GroupAssignment answer = assign(new UniformAssignor(), earlier, earlierPartitions);
        for (Member member : members) {
            MemberAssignment assignment = answer.members().get(member.id());
            if (assignment == null) continue;
            for (Uuid topic : shuffled(random, new ArrayList<>(assignment.partitions().keySet()))) {
                member.assigned().put(topic, shuffled(random, new ArrayList<>(assignment.partitions().get(topic))));
            }
        }
    }

    static List<Integer> range(int count) {
        List<Integer> list = new ArrayList<>();
        for (int i = 0; i < count; i++) list.add(i);
        return list;
    }

    static GroupAssignment assign(ConsumerGroupPartitionAssignor assignor, List<Member> members, Map<Uuid, Integer> partitions) {
        Map<String, MemberSubscriptionAndAssignmentImpl> specMembers = new LinkedHashMap<>();
        Map<Uuid, Map<Integer, String>> inverted = new HashMap<>();
        for (Member member : members) {
            Map<Uuid, Set<Integer>> assigned = new LinkedHashMap<>();
            for (Map.Entry<Uuid, List<Integer>> entry : member.assigned().entrySet()) {
                assigned.put(entry.getKey(), new LinkedHashSet<>(entry.getValue()));
                for (int partition : entry.getValue()) inverted.computeIfAbsent(entry.getKey(), __ -> new HashMap<>()).put(partition, member.id());
            }
            specMembers.put(member.id(), new MemberSubscriptionAndAssignmentImpl(
                Optional.empty(), Optional.ofNullable(member.instanceId()), new LinkedHashSet<>(member.topics()), new Assignment(assigned)));
        }
        SubscriptionType type = SubscriptionType.valueOf(subscriptionType(members));
        SubscribedTopicDescriber describer = new SubscribedTopicDescriber() {
            @Override
            public int numPartitions(Uuid topicId) {
                return partitions.getOrDefault(topicId, -1);
            }

            @Override
            public Set<String> racksForPartition(Uuid topicId, int partition) {
                return Set.of();
            }
        };
        return assignor.assign(new GroupSpecImpl(specMembers, type, inverted), describer);
    }

    static String assignmentJson(List<Member> members, GroupAssignment assignment) {
        StringBuilder json = new StringBuilder("{");
        String separator = "";
        for (Member member : members) {
            json.append(separator).append('"').append(member.id()).append("\": {");
            MemberAssignment memberAssignment = assignment.members().get(member.id());
            Map<String, List<Integer>> sorted = new TreeMap<>();
            if (memberAssignment != null) {
                for (Map.Entry<Uuid, Set<Integer>> entry : memberAssignment.partitions().entrySet()) {
                    if (!entry.getValue().isEmpty()) sorted.put(entry.getKey().toString(), new ArrayList<>(new TreeSet<>(entry.getValue())));
                }
            }
            String inner = "";
            for (Map.Entry<String, List<Integer>> entry : sorted.entrySet()) {
                json.append(inner).append('"').append(entry.getKey()).append("\": ").append(entry.getValue());
                inner = ", ";
            }
            json.append('}');
            separator = ", ";
        }
        return json.append('}').toString();
    }
}
