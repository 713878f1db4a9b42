package io.parley.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.shared.InvalidInputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeadColumnsTest {

  @Test
  void readsKnownFieldsWhateverTheirCaseAndOtherColumnsAsVariables() {
    LeadColumns columns =
        LeadColumns.of(List.of(" Phone ", "First Name", "last-name", "Appointment Date"), Map.of());
    assertThat(columns.fields())
        .containsEntry("phone", 0)
        .containsEntry("first_name", 1)
        .containsEntry("last_name", 2);
    assertThat(columns.variables()).containsExactly(Map.entry(3, "appointment_date"));
    assertThat(columns.cell(List.of(" +14155550123 ", "", "Lovelace"), "first_name")).isNull();
    assertThat(columns.cell(List.of(" +14155550123 "), "last_name")).isNull();
    assertThat(columns.cell(List.of(" +14155550123 "), "phone")).isEqualTo("+14155550123");
  }

  @Test
  void aMappingRenamesAColumn() {
    LeadColumns columns =
        LeadColumns.of(List.of("Mobile", "TZ"), Map.of("mobile", "phone", "tz", "time_zone"));
    assertThat(columns.fields()).containsEntry("phone", 0).containsEntry("time_zone", 1);
    assertThat(columns.variables()).isEmpty();
  }

  @Test
  void refusesAHeaderWithoutAPhoneColumn() {
    assertThatThrownBy(() -> LeadColumns.of(List.of("mobile", "name"), Map.of()))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(
            e ->
                assertThat(((InvalidInputException) e).fieldErrors().get("file"))
                    .contains("no phone column")
                    .contains("map=<column>:phone"));
  }

  @Test
  void refusesAColumnNamedTwiceAnUnnamedColumnAndANameThatCannotBeAVariable() {
    assertThatThrownBy(() -> LeadColumns.of(List.of("phone", "Phone", "", "2nd visit"), Map.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("columns 1 and 2 are both phone")
        .hasMessageContaining("column 3 has no name")
        .hasMessageContaining("column 4 (2nd visit) cannot be a prompt variable");
  }

  @Test
  void refusesAMappingOfAColumnTheFileDoesNotHave() {
    assertThatThrownBy(() -> LeadColumns.of(List.of("phone"), Map.of("mobile", "phone")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("mapping names a column mobile");
  }

  @Test
  void refusesMoreColumnsThanALeadFileNeeds() {
    List<String> wide =
        java.util.stream.IntStream.range(0, LeadColumns.MAX_COLUMNS + 1)
            .mapToObj(i -> i == 0 ? "phone" : "c" + i)
            .toList();
    assertThatThrownBy(() -> LeadColumns.of(wide, Map.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("columns; at most");
  }
}
