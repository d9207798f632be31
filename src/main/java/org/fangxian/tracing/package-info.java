/**
 * Flow tracing (流调): cases (病例) opened from an individual positive or by hand, the
 * contact candidates the records already hold (household, tube, gate, sampling queue,
 * building, door, vehicle), the tracer's decisions (close contact 密接, secondary contact
 * 次密接), their quarantine through containment and the chain across a district. A case is
 * denied at every gate, both ways.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Tracing")
package org.fangxian.tracing;
