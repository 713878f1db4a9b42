package io.parley.compliance;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import io.parley.shared.Actor;
import io.parley.shared.AuditEvent;
import io.parley.shared.NotFoundException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The registry lists: what the gate asks ({@link #check}), the lists as the API and the health
 * indicator show them, and their deletion. Ages are counted in days between the download date and
 * today in UTC.
 */
@Service
class RegistryService implements RegistryLayer {

  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

  private final RegistryRepository repository;
  private final RegistryPurge purge;
  private final RegistryProperties properties;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  RegistryService(
      RegistryRepository repository,
      RegistryPurge purge,
      RegistryProperties properties,
      ApplicationEventPublisher events,
      ObjectProvider<Clock> clock) {
    this.repository = repository;
    this.purge = purge;
    this.properties = properties;
    this.events = events;
    this.clock = clock.getIfUnique(Clock::systemUTC);
  }

  RegistryProperties properties() {
    return properties;
  }

  /**
   * What the copies covering the number say. A number on any covering copy is listed, however old
   * the copy (it was registered then, and an old copy is no reason to call it). Otherwise a stale
   * covering copy refuses, and a number of a region in {@code PARLEY_DNC_REGISTRY_REGIONS} needs a
   * national copy covering its area code. Numbers outside North America have no registry layer.
   */
  @Override
  @Transactional(readOnly = true)
  public Verdict check(UUID organisationId, String phoneNumber) {
    String number = PhoneNumbers.canonical(phoneNumber, "phoneNumber");
    if (!number.startsWith("+1") || number.length() != 12) {
      return new Clear();
    }
    int areaCode = Integer.parseInt(number.substring(2, 5));
    int local = Integer.parseInt(number.substring(5));
    List<RegistryRepository.Coverage> covering =
        repository.covering(organisationId, areaCode, local);
    Optional<RegistryRepository.Coverage> listed =
        covering.stream().filter(RegistryRepository.Coverage::listed).findFirst();
    if (listed.isPresent()) {
      return new Listed(listed.get().name(), listed.get().asOf());
    }
    LocalDate today = today();
    for (RegistryRepository.Coverage copy : covering) {
      long age = ChronoUnit.DAYS.between(copy.asOf(), today);
      if (age > properties.maxAgeDays()) {
        return new Stale(copy.name(), areaCode, copy.asOf(), age, properties.maxAgeDays());
      }
    }
    String region = region(number);
    if (properties.regions().contains(region)
        && covering.stream().noneMatch(c -> c.kind() == RegistryKind.NATIONAL)) {
      return new Missing(areaCode, region);
    }
    return new Clear();
  }

  @Transactional(readOnly = true)
  List<RegistryView> list(UUID organisationId) {
    Map<UUID, List<RegistryRepository.Area>> areas =
        repository.areas(organisationId).stream()
            .collect(
                Collectors.groupingBy(
                    RegistryRepository.Area::registryId, LinkedHashMap::new, Collectors.toList()));
    List<Long> copyIds =
        areas.values().stream()
            .flatMap(List::stream)
            .map(RegistryRepository.Area::copyId)
            .distinct()
            .toList();
    Map<Long, RegistryRepository.Copy> copies =
        repository.copies(copyIds).stream()
            .collect(Collectors.toMap(RegistryRepository.Copy::id, c -> c));
    List<RegistryView> views = new ArrayList<>();
    for (RegistryRepository.Registry registry : repository.registries(organisationId)) {
      views.add(view(registry, areas.getOrDefault(registry.id(), List.of()), copies));
    }
    return views;
  }

  @Transactional(readOnly = true)
  RegistryView get(UUID organisationId, String name) {
    return list(organisationId).stream()
        .filter(view -> view.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new NotFoundException("No registry list named " + name));
  }

  /** Deletes a list: the gate stops seeing it at once; its numbers are purged afterwards. */
  @Transactional
  void delete(UUID organisationId, String name, Actor actor) {
    RegistryRepository.Registry registry =
        repository
            .find(organisationId, name, true)
            .orElseThrow(() -> new NotFoundException("No registry list named " + name));
    RegistryView view = get(organisationId, name);
    repository.deleteRegistry(registry.id());
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("registry", registry.name());
    details.put("kind", registry.kind().wire());
    details.put("coverage", view.coverage());
    details.put("numbers", view.numbers());
    if (view.asOf() != null) {
      details.put("asOf", view.asOf().toString());
    }
    events.publishEvent(
        new AuditEvent(
            actor.userId(),
            actor.email(),
            "dnc.registry_deleted",
            "dnc_registry",
            registry.id().toString(),
            details));
    purge.soon();
  }

  /** The oldest copy in force, in days; empty when there is none. */
  Optional<Long> oldestAgeDays() {
    return repository.oldestAsOf().map(asOf -> ChronoUnit.DAYS.between(asOf, today()));
  }

  String freshness(LocalDate asOf) {
    long age = ChronoUnit.DAYS.between(asOf, today());
    if (age > properties.maxAgeDays()) {
      return "stale";
    }
    if (age > properties.maxAgeDays() - properties.warnBefore().toDays()) {
      return "warning";
    }
    return "fresh";
  }

  LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  private RegistryView view(
      RegistryRepository.Registry registry,
      List<RegistryRepository.Area> areas,
      Map<Long, RegistryRepository.Copy> copies) {
    if (areas.isEmpty()) {
      return new RegistryView(
          registry.name(), registry.kind(), "", 0, 0, null, null, "empty", false, null, List.of());
    }
    LocalDate today = today();
    LocalDate oldest =
        areas.stream().map(RegistryRepository.Area::asOf).min(LocalDate::compareTo).orElseThrow();
    Map<Long, List<RegistryRepository.Area>> byCopy =
        areas.stream()
            .collect(
                Collectors.groupingBy(
                    RegistryRepository.Area::copyId, TreeMap::new, Collectors.toList()));
    List<RegistryView.CopyView> copyViews = new ArrayList<>();
    byCopy.forEach(
        (copyId, inForce) -> {
          RegistryRepository.Copy copy = copies.get(copyId);
          LocalDate asOf = inForce.getFirst().asOf();
          copyViews.add(
              new RegistryView.CopyView(
                  copyId,
                  codes(inForce).toString(),
                  asOf,
                  ChronoUnit.DAYS.between(asOf, today),
                  freshness(asOf),
                  inForce.stream().mapToLong(RegistryRepository.Area::numbers).sum(),
                  copy == null ? null : copy.updatedAt(),
                  copy == null ? null : copy.importedBy()));
        });
    String freshness = freshness(oldest);
    return new RegistryView(
        registry.name(),
        registry.kind(),
        codes(areas).toString(),
        areas.size(),
        areas.stream().mapToLong(RegistryRepository.Area::numbers).sum(),
        oldest,
        ChronoUnit.DAYS.between(oldest, today),
        freshness,
        "stale".equals(freshness),
        oldest.plusDays(properties.maxAgeDays()),
        copyViews);
  }

  private static AreaCodes codes(List<RegistryRepository.Area> areas) {
    return AreaCodes.of(
        areas.stream().mapToInt(RegistryRepository.Area::areaCode).flatMap(IntStream::of));
  }

  private static String region(String e164) {
    try {
      return UTIL.getRegionCodeForNumber(UTIL.parse(e164, null));
    } catch (NumberParseException e) {
      return null;
    }
  }
}
