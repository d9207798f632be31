/**
 * People on duty (排班设岗): volunteers and sent-down cadres (下沉干部) with their skills and
 * availability, teams (突击队, 临时党支部), posts (岗位) with their shifts (班次), rosters (排班表)
 * generated with a constraint solver, each person's shifts on their phone, and check-in
 * at the post.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Workforce")
package org.fangxian.workforce;
